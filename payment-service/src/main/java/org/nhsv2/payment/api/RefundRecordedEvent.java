package org.nhsv2.payment.api;

import org.axonframework.serialization.Revision;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A refund made at Stripe but not through this service (the dashboard): the money is gone all the same. */
@Revision("1")
public record RefundRecordedEvent(UUID transactionId, String stripeRefundId, String stripeEventId, long amount) {

    /** The id such a refund is listed under in the transaction's refunds: derived from Stripe's, always the same. */
    public static UUID refundIdOf(String stripeRefundId) {
        return UUID.nameUUIDFromBytes(stripeRefundId.getBytes(StandardCharsets.UTF_8));
    }
}
