package org.nhsv2.payment.api;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/** {@code stripeEventId} is null when reconciliation, not a webhook, found it. */
@Revision("1")
public record PaymentSucceededEvent(UUID transactionId, String stripeEventId, String sessionId, String paymentIntentId, long amount) {}
