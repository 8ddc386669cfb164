package org.nhsv2.payment.api;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/**
 * A refund made at Stripe but not through this service (the dashboard), first told as failed or canceled: Stripe
 * delivers its webhooks in any order, and a refund that failed never succeeds afterwards, so it is listed as failed
 * (under {@link RefundRecordedEvent#refundIdOf the id derived from Stripe's}), never counted, and an older snapshot of
 * it saying it succeeded changes nothing. {@code paymentIntentId}: the payment it was to give back, {@code null} when
 * Stripe did not tell it.
 */
@Revision("1")
public record FailedRefundRecordedEvent(UUID transactionId, String stripeRefundId, String stripeEventId, long amount,
                                        String paymentIntentId, String reason) {}
