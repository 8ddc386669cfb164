package org.nhsv2.payment.api;

/** The dispute of the transaction's payment, as Stripe tells it: its id, the amount, Stripe's reason, where it stands. */
public record DisputeView(String disputeId, long amount, String reason, DisputeStatus status) {
}
