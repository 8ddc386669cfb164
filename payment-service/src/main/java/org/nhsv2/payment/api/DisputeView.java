package org.nhsv2.payment.api;

/**
 * A dispute of the transaction's payment, as Stripe tells it: its id, the payment it disputes, the amount, Stripe's
 * reason, where it stands.
 */
public record DisputeView(String disputeId, String paymentIntentId, long amount, String reason, DisputeStatus status) {
}
