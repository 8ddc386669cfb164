package org.nhsv2.payment.email;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.nhsv2.contracts.EmailRequested;
import org.nhsv2.contracts.EmailTemplate;
import org.nhsv2.payment.api.CheckoutOpenedEvent;
import org.nhsv2.payment.api.PaymentSucceededEvent;
import org.nhsv2.payment.api.RefundRecordedEvent;
import org.nhsv2.payment.api.RefundSucceededEvent;
import org.nhsv2.payment.api.SealedFields;
import org.nhsv2.payment.api.TransactionEmail;
import org.nhsv2.payment.api.TransactionInitiatedEvent;
import org.nhsv2.platform.api.EncryptedText;
import org.nhsv2.platform.messaging.IntegrationMessages;
import org.nhsv2.platform.messaging.MessageIds;
import org.nhsv2.platform.vault.PersonalDataVault;
import org.nhsv2.platform.vault.PersonalDataVault.Binding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Asks notification-service for the patient's payment link, receipt and refund notes, from a tracking
 * processor of its own. Each request's id is derived from the event that caused it, so a retried batch
 * or a replay asks again under the same id and the patient gets the email once. The publish waits for
 * the broker's confirm; if the broker is down it throws, the processor retries the event, and nothing
 * is lost. Name and address are opened from the transaction's first event only now, at send time, and
 * are kept nowhere here.
 */
@Component
@ProcessingGroup(TransactionEmails.PROCESSING_GROUP)
class TransactionEmails {

    static final String PROCESSING_GROUP = "transaction-emails";
    private static final Logger log = LoggerFactory.getLogger(TransactionEmails.class);

    private final EventStore eventStore;
    private final PersonalDataVault vault;
    private final IntegrationMessages messages;
    private final Clock clock;

    TransactionEmails(EventStore eventStore, PersonalDataVault vault, IntegrationMessages messages, Clock clock) {
        this.eventStore = eventStore;
        this.vault = vault;
        this.messages = messages;
        this.clock = clock;
    }

    /** A link past its expiry (a replay, a long outage) cannot be paid through: it is not sent. */
    @EventHandler
    void on(CheckoutOpenedEvent event, @SequenceNumber long sequence) {
        if (!event.expiresAt().isAfter(clock.instant())) {
            log.info("No {} email for transaction {} (event {}): the checkout expired at {}", TransactionEmail.PAYMENT_LINK,
                    event.transactionId(), sequence, event.expiresAt());
            return;
        }
        send(event.transactionId(), sequence, TransactionEmail.PAYMENT_LINK, initiated -> Map.of(
                EmailTemplate.AMOUNT, Long.toString(initiated.totalAmount()),
                EmailTemplate.CHECKOUT_URL, event.checkoutUrl(),
                EmailTemplate.EXPIRES_AT, event.expiresAt().toString()));
    }

    @EventHandler
    void on(PaymentSucceededEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        send(event.transactionId(), sequence, TransactionEmail.PAYMENT_RECEIPT, initiated -> Map.of(
                EmailTemplate.AMOUNT, Long.toString(event.amount()),
                EmailTemplate.PAID_AT, at.toString()));
    }

    @EventHandler
    void on(RefundSucceededEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        sendRefundNote(event.transactionId(), sequence, event.amount(), at);
    }

    /** A refund made at Stripe directly: the money went back all the same. */
    @EventHandler
    void on(RefundRecordedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        sendRefundNote(event.transactionId(), sequence, event.amount(), at);
    }

    private void sendRefundNote(UUID transactionId, long sequence, long amount, Instant at) {
        send(transactionId, sequence, TransactionEmail.REFUND_NOTE, initiated -> Map.of(
                EmailTemplate.AMOUNT, Long.toString(amount),
                EmailTemplate.REFUNDED_AT, at.toString()));
    }

    /** What the email says beyond the patient's name and the currency, from the transaction's first event. */
    private interface Values {
        Map<String, String> of(TransactionInitiatedEvent initiated);
    }

    private void send(UUID transactionId, long sequence, TransactionEmail email, Values values) {
        TransactionInitiatedEvent initiated = initiated(transactionId);
        UUID patientId = initiated.patientId();
        PersonalDataVault.Reader reader = vault.readerFor(List.of(patientId));
        String recipient = reader.open(patientId, initiated.patientEmail(),
                Binding.of(transactionId, SealedFields.PATIENT_EMAIL));
        String name = reader.open(patientId, initiated.patientName(), Binding.of(transactionId, SealedFields.PATIENT_NAME));
        if (recipient == null || recipient.isBlank()) {
            log.info("No {} email for transaction {} (event {}): no email address was given", email, transactionId, sequence);
            return;
        }
        if (EncryptedText.ERASED.equals(recipient) || EncryptedText.ERASED.equals(name)) {
            log.info("No {} email for transaction {} (event {}): the patient's personal data is erased", email,
                    transactionId, sequence);
            return;
        }
        Map<String, String> model = new HashMap<>(values.of(initiated));
        model.put(EmailTemplate.PATIENT_NAME, Objects.requireNonNullElse(name, ""));
        model.put(EmailTemplate.CURRENCY, initiated.currency());
        UUID requestId = MessageIds.derived(transactionId, sequence, email.name());
        messages.publish(new EmailRequested(requestId, transactionId, patientId, recipient,
                EmailTemplate.valueOf(email.name()), null, model, List.of()));
        log.debug("Asked for the {} email of transaction {} as request {}", email, transactionId, requestId);
    }

    /** The transaction's first event: what the later ones do not repeat (who, how to reach them, the currency). */
    private TransactionInitiatedEvent initiated(UUID transactionId) {
        DomainEventStream events = eventStore.readEvents(transactionId.toString(), 0);
        if (events.hasNext()) {
            DomainEventMessage<?> first = events.next();
            if (first.getPayload() instanceof TransactionInitiatedEvent initiated) {
                return initiated;
            }
        }
        throw new IllegalStateException("Transaction " + transactionId + " does not begin with its initiation");
    }
}
