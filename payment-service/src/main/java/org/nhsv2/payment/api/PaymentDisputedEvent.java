package org.nhsv2.payment.api;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/**
 * The payer's bank disputes the transaction's payment (a chargeback, or an inquiry that may become one): Stripe has
 * taken {@code amount} back, or holds it, until the dispute is closed, and takes no refund of the payment meanwhile.
 * {@code reason} is Stripe's (fraudulent, duplicate, product_not_received, ...); no personal data.
 */
@Revision("1")
public record PaymentDisputedEvent(UUID transactionId, String stripeEventId, String disputeId, String paymentIntentId,
                                   long amount, String reason) {
}
