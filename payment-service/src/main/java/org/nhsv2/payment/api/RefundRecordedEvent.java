package org.nhsv2.payment.api;

import org.axonframework.serialization.Revision;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A refund made at Stripe but not through this service (the dashboard): the money is gone all the same.
 * {@code paymentIntentId}: the payment it gives back, so that a refund told before that payment turned out not to be
 * this transaction's can be taken off again ({@link RefundExcludedEvent}); revision 2, {@code null} when Stripe did not
 * tell it and in revision 1's events, stored before it was kept ({@code RefundRecordedEventUpcaster}).
 */
@Revision("2")
public record RefundRecordedEvent(UUID transactionId, String stripeRefundId, String stripeEventId, long amount,
                                  String paymentIntentId) {

    /** The id such a refund is listed under in the transaction's refunds: derived from Stripe's, always the same. */
    public static UUID refundIdOf(String stripeRefundId) {
        return UUID.nameUUIDFromBytes(stripeRefundId.getBytes(StandardCharsets.UTF_8));
    }
}
