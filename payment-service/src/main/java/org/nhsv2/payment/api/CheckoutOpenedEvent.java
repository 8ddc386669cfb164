package org.nhsv2.payment.api;

import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.UUID;

@Revision("1")
public record CheckoutOpenedEvent(UUID transactionId, int attempt, String sessionId, String checkoutUrl, Instant expiresAt) {}
