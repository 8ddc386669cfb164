package org.nhsv2.payment.api;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/**
 * A refund that had succeeded failed at Stripe afterwards (the card was closed, say): Stripe put its amount back in
 * the account's balance, so the patient did not get it and it may be refunded again. {@code refundId} is the refund's
 * own, or for one made at Stripe directly {@link RefundRecordedEvent#refundIdOf the id derived from Stripe's}.
 */
@Revision("1")
public record RefundReversedEvent(UUID transactionId, UUID refundId, String stripeRefundId, String stripeEventId,
                                  long amount, String reason) {}
