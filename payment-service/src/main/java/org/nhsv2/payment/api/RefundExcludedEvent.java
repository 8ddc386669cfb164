package org.nhsv2.payment.api;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/**
 * A refund made at Stripe directly, recorded (and counted) before Stripe told of the payment it gives back, gives back
 * a payment that turned out not to be this transaction's: one recorded as mismatched, or another than the one recorded
 * as its payment. It no longer counts as refunded and is no longer listed among the transaction's refunds, as if
 * Stripe had told of it after the payment; the history keeps both. {@code stripeEventId}: the event that told whose
 * payment it is, {@code null} when reconciliation, not a webhook, found it.
 */
@Revision("1")
public record RefundExcludedEvent(UUID transactionId, String stripeRefundId, String paymentIntentId, String stripeEventId,
                                  long amount) {}
