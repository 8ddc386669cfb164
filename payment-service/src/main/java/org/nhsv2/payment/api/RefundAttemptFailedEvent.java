package org.nhsv2.payment.api;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/**
 * Stripe answered the refund's {@code attempt} with an error it keeps under that attempt's idempotency key (a 5xx):
 * whether it made the refund is not known, and the key would only get the same answer again. The refund stays
 * requested; before a next attempt, under a key of its own, Stripe's refunds of the payment are searched for it.
 */
@Revision("1")
public record RefundAttemptFailedEvent(UUID transactionId, UUID refundId, int attempt, String reason) {}
