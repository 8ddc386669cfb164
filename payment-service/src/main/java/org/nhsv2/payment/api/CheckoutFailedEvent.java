package org.nhsv2.payment.api;

import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.UUID;

/** Stripe did not open a session; {@code outcomeUnknown} when it may have (a timeout), so a retry repeats the same attempt. */
@Revision("1")
public record CheckoutFailedEvent(UUID transactionId, int attempt, Instant attemptExpiresAt, boolean outcomeUnknown, String reason) {}
