package org.nhsv2.payment.api;

import org.axonframework.serialization.Revision;

import java.util.UUID;

@Revision("1")
public record CheckoutExpiredEvent(UUID transactionId, String stripeEventId) {}
