package org.nhsv2.payment.api;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/**
 * Stripe took a payment for this transaction that is not its payment: not its total in its currency (a session made
 * outside this service, a Payment Link with its metadata, say), or a second one once it is paid (an earlier attempt's
 * session). Recorded for an operator to settle at Stripe; the transaction is not marked paid by it, and refunds of it
 * do not count as the transaction's. {@code stripeEventId} is null when reconciliation, not a webhook, found it.
 */
@Revision("1")
public record PaymentMismatchedEvent(UUID transactionId, String stripeEventId, String sessionId, String paymentIntentId,
                                     long amount, String currency) {}
