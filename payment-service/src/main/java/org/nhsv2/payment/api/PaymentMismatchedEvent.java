package org.nhsv2.payment.api;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/**
 * Stripe took a payment for this transaction that is not its total in its currency (a session made outside this
 * service, a Payment Link with its metadata, say): recorded for an operator to settle at Stripe, and the transaction
 * not marked paid by it. {@code stripeEventId} is null when reconciliation, not a webhook, found it.
 */
@Revision("1")
public record PaymentMismatchedEvent(UUID transactionId, String stripeEventId, String sessionId, String paymentIntentId,
                                     long amount, String currency) {}
