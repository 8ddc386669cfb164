package org.nhsv2.payment.api;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/** A refund made at Stripe but not through this service (the dashboard): the money is gone all the same. */
@Revision("1")
public record RefundRecordedEvent(UUID transactionId, String stripeRefundId, String stripeEventId, long amount) {}
