package org.nhsv2.payment.api;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/**
 * The payer's bank disputes the transaction's payment. An inquiry ({@code inquiry}: Stripe's {@code warning_*}
 * statuses) withdraws no money, and a refund may still settle it; a chargeback takes {@code amount} back until it is
 * closed, and Stripe takes no refund of the payment meanwhile. {@code reason} is Stripe's (fraudulent, duplicate,
 * product_not_received, ...); no personal data.
 */
@Revision("1")
public record PaymentDisputedEvent(UUID transactionId, String stripeEventId, String disputeId, String paymentIntentId,
                                   long amount, String reason, boolean inquiry) {
}
