package org.nhsv2.payment.query;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.queryhandling.QueryHandler;
import org.nhsv2.payment.api.ApplyStripeFactCommand;
import org.nhsv2.payment.api.CheckoutExpiredEvent;
import org.nhsv2.payment.api.CheckoutFailedEvent;
import org.nhsv2.payment.api.CheckoutOpenedEvent;
import org.nhsv2.payment.api.DisputeClosedEvent;
import org.nhsv2.payment.api.DisputeEscalatedEvent;
import org.nhsv2.payment.api.DisputeStatus;
import org.nhsv2.payment.api.EmailStatus;
import org.nhsv2.payment.api.FailedRefundRecordedEvent;
import org.nhsv2.payment.api.FindTransactionHistoryQuery;
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
import org.nhsv2.payment.api.RefundSubmittedEvent;
import org.nhsv2.payment.api.RefundSucceededEvent;
import org.nhsv2.payment.api.SealedFields;
import org.nhsv2.payment.api.TransactionEmailDeliveredEvent;
import org.nhsv2.payment.api.TransactionEmailFailedEvent;
import org.nhsv2.payment.api.TransactionHistory;
import org.nhsv2.payment.api.TransactionInitiatedEvent;
import org.nhsv2.payment.api.TransactionStatus;
import org.nhsv2.platform.api.FieldChange;
import org.nhsv2.platform.history.Changes;
import org.nhsv2.platform.history.EventHistory;
import org.nhsv2.platform.history.SealedHistory;
import org.nhsv2.platform.vault.PersonalDataVault;
import org.nhsv2.platform.vault.PersonalDataVault.RecordReader;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/** Reads a transaction's history straight from the event store: nothing can be missing from it. */
@Component
class TransactionHistoryQueries {

    private final SealedHistory history;

    TransactionHistoryQueries(EventStore eventStore, PersonalDataVault vault) {
        this.history = new SealedHistory(eventStore, vault);
    }

    @QueryHandler
    Optional<TransactionHistory> handle(FindTransactionHistoryQuery query) {
        return history.entries(query.transactionId(), TransactionInitiatedEvent.class,
                        TransactionInitiatedEvent::patientId, TransactionHistoryQueries::entry)
                .map(entries -> new TransactionHistory(query.transactionId(), entries));
    }

    private static TransactionHistory.Entry entry(DomainEventMessage<?> event, RecordReader sealed) {
        String stripeEventId = EventHistory.text(event, ApplyStripeFactCommand.STRIPE_EVENT_ID);
        String actorRole = EventHistory.actorRole(event);
        String cause = actorRole != null ? "user" : stripeEventId != null ? "stripe-webhook"
                : isEmailOutcome(event.getPayload()) ? "email-outcome" : "reconciliation";
        return new TransactionHistory.Entry(event.getSequenceNumber(), EventHistory.typeOf(event),
                event.getTimestamp(), cause, EventHistory.actorId(event), actorRole, stripeEventId,
                EventHistory.correlationId(event), changes(event.getPayload(), sealed));
    }

    /** notification-service's answer to an email the transaction asked for. */
    private static boolean isEmailOutcome(Object payload) {
        return payload instanceof TransactionEmailDeliveredEvent || payload instanceof TransactionEmailFailedEvent;
    }

    private static List<FieldChange> changes(Object payload, RecordReader sealed) {
        Changes changes = new Changes();
        if (payload instanceof TransactionInitiatedEvent e) {
            changes.set("status", TransactionStatus.INITIATED)
                    .set("facilityId", e.facilityId())
                    .set("patientId", e.patientId())
                    .set("patientName", sealed.open(e.patientName(), SealedFields.PATIENT_NAME))
                    .set("patientEmail", sealed.open(e.patientEmail(), SealedFields.PATIENT_EMAIL))
                    .set("items", e.items().stream().map(item -> item.quantity() + " x " + item.name() + " @ "
                            + item.unitAmount()).toList())
                    .set("currency", e.currency())
                    .set("totalAmount", e.totalAmount())
                    .set("appointmentId", e.appointmentId());
        } else if (payload instanceof CheckoutOpenedEvent e) {
            changes.changed("status", TransactionStatus.INITIATED, TransactionStatus.OPEN)
                    .set("checkoutSessionId", e.sessionId())
                    .set("checkoutExpiresAt", e.expiresAt());
        } else if (payload instanceof CheckoutFailedEvent e) {
            changes.set("checkoutFailure", e.reason()).set("attempt", e.attempt());
        } else if (payload instanceof PaymentSucceededEvent e) {
            changes.set("status", TransactionStatus.PAID).set("paymentIntentId", e.paymentIntentId())
                    .set("amount", e.amount());
        } else if (payload instanceof PaymentMismatchedEvent e) {
            changes.set("sessionId", e.sessionId()).set("paymentIntentId", e.paymentIntentId()).set("amount", e.amount())
                    .set("paidCurrency", e.currency());
        } else if (payload instanceof PaymentDisputedEvent e) {
            changes.set("disputeId", e.disputeId()).set("paymentIntentId", e.paymentIntentId())
                    .set("disputedAmount", e.amount()).set("disputeReason", e.reason())
                    .set("disputeStatus", e.inquiry() ? DisputeStatus.INQUIRY : DisputeStatus.OPEN);
        } else if (payload instanceof DisputeEscalatedEvent e) {
            changes.set("disputeId", e.disputeId()).changed("disputeStatus", DisputeStatus.INQUIRY, DisputeStatus.OPEN);
        } else if (payload instanceof DisputeClosedEvent e) {
            // Closed from an inquiry or from a chargeback: the history of the dispute's own events tells which.
            changes.set("disputeId", e.disputeId()).set("disputedAmount", e.amount())
                    .set("disputeStatus", DisputeStatus.closed(e));
        } else if (payload instanceof PaymentAttemptFailedEvent e) {
            changes.set("attemptFailure", e.reason());
        } else if (payload instanceof PaymentFailedEvent e) {
            changes.set("status", TransactionStatus.FAILED).set("failure", e.reason());
        } else if (payload instanceof CheckoutExpiredEvent) {
            changes.set("status", TransactionStatus.EXPIRED);
        } else if (payload instanceof RefundRequestedEvent e) {
            changes.set("refundId", e.refundId()).set("refundAmount", e.amount())
                    .set("refundReason", sealed.open(e.reason(), SealedFields.refundReason(e.refundId())));
        } else if (payload instanceof RefundAttemptFailedEvent e) {
            changes.set("refundId", e.refundId()).set("refundAttempt", e.attempt()).set("refundAttemptFailure", e.reason());
        } else if (payload instanceof RefundSubmittedEvent e) {
            changes.set("refundId", e.refundId()).set("stripeRefundId", e.stripeRefundId());
        } else if (payload instanceof RefundSucceededEvent e) {
            changes.set("refundId", e.refundId()).set("refundedAmount", e.amount());
        } else if (payload instanceof RefundFailedEvent e) {
            changes.set("refundId", e.refundId()).set("refundFailure", e.reason());
        } else if (payload instanceof RefundRecordedEvent e) {
            changes.set("stripeRefundId", e.stripeRefundId()).set("paymentIntentId", e.paymentIntentId())
                    .set("refundedAmount", e.amount());
        } else if (payload instanceof FailedRefundRecordedEvent e) {
            changes.set("stripeRefundId", e.stripeRefundId()).set("paymentIntentId", e.paymentIntentId())
                    .set("refundAmount", e.amount()).set("refundFailure", e.reason());
        } else if (payload instanceof RefundExcludedEvent e) {
            changes.set("stripeRefundId", e.stripeRefundId()).set("paymentIntentId", e.paymentIntentId())
                    .set("excludedAmount", e.amount());
        } else if (payload instanceof RefundReversedEvent e) {
            changes.set("refundId", e.refundId()).set("stripeRefundId", e.stripeRefundId())
                    .set("reversedAmount", e.amount()).set("refundFailure", e.reason());
        } else if (payload instanceof TransactionEmailDeliveredEvent e) {
            changes.set("emailTemplate", e.template()).set("emailRequestId", e.requestId())
                    .set("emailStatus", EmailStatus.DELIVERED).set("providerMessageId", e.providerMessageId())
                    .set("deliveredAt", e.deliveredAt());
        } else if (payload instanceof TransactionEmailFailedEvent e) {
            changes.set("emailTemplate", e.template()).set("emailRequestId", e.requestId())
                    .set("emailStatus", EmailStatus.FAILED)
                    .set("emailFailure", sealed.open(e.reason(), SealedFields.emailFailure(e.requestId())))
                    .set("permanentFailure", e.permanent());
        }
        return changes.toList();
    }
}
