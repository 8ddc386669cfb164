package org.nhsv2.payment.api;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/** The refund did not go through; its amount is refundable again. */
@Revision("1")
public record RefundFailedEvent(UUID transactionId, UUID refundId, String stripeEventId, String reason) {}
