package org.nhsv2.payment.query;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.nhsv2.payment.api.CheckoutExpiredEvent;
import org.nhsv2.payment.api.CheckoutFailedEvent;
import org.nhsv2.payment.api.CheckoutOpenedEvent;
import org.nhsv2.payment.api.DisputeClosedEvent;
import org.nhsv2.payment.api.DisputeEscalatedEvent;
import org.nhsv2.payment.api.DisputeStatus;
import org.nhsv2.payment.api.DisputeView;
import org.nhsv2.payment.api.FailedRefundRecordedEvent;
import org.nhsv2.payment.api.FindTransactionQuery;
import org.nhsv2.payment.api.PaymentAttemptFailedEvent;
import org.nhsv2.payment.api.PaymentDisputedEvent;
import org.nhsv2.payment.api.PaymentFailedEvent;
import org.nhsv2.payment.api.PaymentMismatchedEvent;
import org.nhsv2.payment.api.PaymentSucceededEvent;
import org.nhsv2.payment.api.RefundAttemptFailedEvent;
import org.nhsv2.payment.api.RefundExcludedEvent;
import org.nhsv2.payment.api.RefundFailedEvent;
import org.nhsv2.payment.api.RefundRecordedEvent;
import org.nhsv2.payment.api.RefundRequestedEvent;
import org.nhsv2.payment.api.RefundReversedEvent;
import org.nhsv2.payment.api.RefundStatus;
import org.nhsv2.payment.api.RefundSubmittedEvent;
import org.nhsv2.payment.api.RefundSucceededEvent;
import org.nhsv2.payment.api.TransactionEmailDeliveredEvent;
import org.nhsv2.payment.api.TransactionEmailFailedEvent;
import org.nhsv2.payment.api.TransactionInitiatedEvent;
import org.nhsv2.payment.api.TransactionStatus;
import org.nhsv2.platform.api.Actor;
import org.nhsv2.platform.query.ViewWatchers;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Keeps {@code transaction_view}; runs in a tracking processor whose token is stored in the same
 * transaction as these rows, and tells subscribed readers (a client waiting for its write) of each change.
 */
@Component
@ProcessingGroup(TransactionProjection.PROCESSING_GROUP)
class TransactionProjection {

    static final String PROCESSING_GROUP = "transaction-view";

    private final TransactionViewRepository rows;
    private final TransactionViews views;
    private final QueryUpdateEmitter emitter;

    TransactionProjection(TransactionViewRepository rows, TransactionViews views, QueryUpdateEmitter emitter) {
        this.rows = rows;
        this.views = views;
        this.emitter = emitter;
    }

    /** Started by the patient themselves when the command's actor was a patient (see {@code OpenCheckouts}). */
    @EventHandler
    void on(TransactionInitiatedEvent event, @SequenceNumber long sequence, @Timestamp Instant at,
            @MetaDataValue(Actor.ROLE) String actorRole) {
        rows.insert(new TransactionRow(event.transactionId(), event.facilityId(), event.patientId(), event.patientName(),
                event.patientEmail(), TransactionStatus.INITIATED, event.currency(), event.totalAmount(), null, null,
                event.appointmentId(), at, sequence, event.items(), List.of(), List.of(), List.of()), at,
                Actor.Role.PATIENT.name().equals(actorRole));
        changed(event.transactionId());
    }

    @EventHandler
    void on(CheckoutOpenedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        advance(event.transactionId(), sequence, at, Map.of("status", TransactionStatus.OPEN,
                "checkout_session_id", event.sessionId(), "checkout_url", event.checkoutUrl(),
                "checkout_expires_at", event.expiresAt()));
    }

    @EventHandler
    void on(CheckoutFailedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        advance(event.transactionId(), sequence, at, Map.of("checkout_failure", event.reason()));
    }

    @EventHandler
    void on(PaymentSucceededEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        Map<String, Object> columns = new HashMap<>();
        columns.put("status", TransactionStatus.PAID);
        columns.put("payment_intent_id", event.paymentIntentId());
        if (rows.advance(event.transactionId(), sequence, at, columns)) {
            // Refunds Stripe told of before the payment count from now on.
            rows.settleRefundedStatus(event.transactionId());
        }
        changed(event.transactionId());
    }

    /** Not this transaction's payment: the row keeps its status; the history shows what Stripe took. */
    @EventHandler
    void on(PaymentMismatchedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        advance(event.transactionId(), sequence, at, Map.of());
    }

    @EventHandler
    void on(PaymentDisputedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        if (rows.advance(event.transactionId(), sequence, at, Map.of())) {
            rows.insertDispute(event.transactionId(), new DisputeView(event.disputeId(), event.paymentIntentId(),
                    event.amount(), event.reason(), event.inquiry() ? DisputeStatus.INQUIRY : DisputeStatus.OPEN), at);
        }
        changed(event.transactionId());
    }

    @EventHandler
    void on(DisputeEscalatedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        if (rows.advance(event.transactionId(), sequence, at, Map.of())) {
            rows.changeDispute(event.disputeId(), DisputeStatus.OPEN, null);
        }
        changed(event.transactionId());
    }

    @EventHandler
    void on(DisputeClosedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        if (rows.advance(event.transactionId(), sequence, at, Map.of())) {
            rows.changeDispute(event.disputeId(), DisputeStatus.closed(event), event.amount());
        }
        changed(event.transactionId());
    }

    @EventHandler
    void on(PaymentAttemptFailedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        advance(event.transactionId(), sequence, at, Map.of());
    }

    @EventHandler
    void on(PaymentFailedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        advance(event.transactionId(), sequence, at, Map.of("status", TransactionStatus.FAILED));
    }

    @EventHandler
    void on(CheckoutExpiredEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        advance(event.transactionId(), sequence, at, Map.of("status", TransactionStatus.EXPIRED));
    }

    @EventHandler
    void on(RefundRequestedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        if (rows.advance(event.transactionId(), sequence, at, Map.of())) {
            rows.insertRefund(event.transactionId(), new TransactionRow.Refund(event.refundId(), event.amount(),
                    RefundStatus.REQUESTED, null, event.reason()), at);
        }
        changed(event.transactionId());
    }

    /** The refund stays requested, to be searched for at Stripe and tried again under a new key. */
    @EventHandler
    void on(RefundAttemptFailedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        advance(event.transactionId(), sequence, at, Map.of());
    }

    @EventHandler
    void on(RefundSubmittedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        if (rows.advance(event.transactionId(), sequence, at, Map.of())) {
            rows.refundSubmitted(event.refundId(), event.stripeRefundId(), at);
        }
        changed(event.transactionId());
    }

    @EventHandler
    void on(RefundSucceededEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        if (rows.advance(event.transactionId(), sequence, at, Map.of())) {
            rows.changeRefund(event.refundId(), RefundStatus.SUCCEEDED, event.stripeRefundId(), null);
            rows.settleRefundedStatus(event.transactionId());
        }
        changed(event.transactionId());
    }

    @EventHandler
    void on(RefundFailedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        if (rows.advance(event.transactionId(), sequence, at, Map.of())) {
            rows.changeRefund(event.refundId(), RefundStatus.FAILED, null, event.reason());
        }
        changed(event.transactionId());
    }

    /** A refund made at Stripe directly: listed with an id derived from Stripe's, and no reason. */
    @EventHandler
    void on(RefundRecordedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        if (rows.advance(event.transactionId(), sequence, at, Map.of())) {
            rows.insertRefund(event.transactionId(), new TransactionRow.Refund(
                    RefundRecordedEvent.refundIdOf(event.stripeRefundId()), event.amount(),
                    RefundStatus.SUCCEEDED, event.stripeRefundId(), null), at);
            rows.settleRefundedStatus(event.transactionId());
        }
        changed(event.transactionId());
    }

    /** A refund made at Stripe directly whose first news was its failure: listed as failed, never counted. */
    @EventHandler
    void on(FailedRefundRecordedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        if (rows.advance(event.transactionId(), sequence, at, Map.of())) {
            UUID refundId = RefundRecordedEvent.refundIdOf(event.stripeRefundId());
            rows.insertRefund(event.transactionId(), new TransactionRow.Refund(refundId, event.amount(),
                    RefundStatus.FAILED, event.stripeRefundId(), null), at);
            rows.changeRefund(refundId, RefundStatus.FAILED, null, event.reason());
        }
        changed(event.transactionId());
    }

    /** A refund made at Stripe directly that gives back another payment: not the transaction's, so not listed. */
    @EventHandler
    void on(RefundExcludedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        if (rows.advance(event.transactionId(), sequence, at, Map.of())) {
            rows.deleteRefund(RefundRecordedEvent.refundIdOf(event.stripeRefundId()));
            rows.settleRefundedStatus(event.transactionId());
        }
        changed(event.transactionId());
    }

    /** A refund that failed after it succeeded: listed as failed, and no longer counted as refunded. */
    @EventHandler
    void on(RefundReversedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        if (rows.advance(event.transactionId(), sequence, at, Map.of())) {
            rows.changeRefund(event.refundId(), RefundStatus.FAILED, null, event.reason());
            rows.settleRefundedStatus(event.transactionId());
        }
        changed(event.transactionId());
    }

    @EventHandler
    void on(TransactionEmailDeliveredEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        if (rows.advance(event.transactionId(), sequence, at, Map.of())) {
            rows.emailDelivered(event.transactionId(), event.requestId(), event.template(), event.providerMessageId(),
                    event.deliveredAt(), at);
        }
        changed(event.transactionId());
    }

    @EventHandler
    void on(TransactionEmailFailedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        if (rows.advance(event.transactionId(), sequence, at, Map.of())) {
            rows.emailFailed(event.transactionId(), event.requestId(), event.template(), event.reason(), event.permanent(), at);
        }
        changed(event.transactionId());
    }

    @ResetHandler
    void reset() {
        rows.deleteAll();
    }

    private void advance(UUID transactionId, long sequence, Instant at, Map<String, Object> columns) {
        rows.advance(transactionId, sequence, at, columns);
        changed(transactionId);
    }

    private void changed(UUID transactionId) {
        ViewWatchers.tell(emitter, FindTransactionQuery.class, query -> query.transactionId().equals(transactionId),
                () -> rows.find(transactionId).map(views::open));
    }
}
