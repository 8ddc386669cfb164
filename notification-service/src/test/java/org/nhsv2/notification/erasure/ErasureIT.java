package org.nhsv2.notification.erasure;

import org.junit.jupiter.api.Test;
import org.nhsv2.contracts.Contract;
import org.nhsv2.contracts.EmailDelivered;
import org.nhsv2.contracts.EmailFailed;
import org.nhsv2.contracts.EmailRequested;
import org.nhsv2.contracts.PatientPersonalDataErased;
import org.nhsv2.notification.NotificationIntegrationTest;
import org.nhsv2.platform.messaging.IntegrationMessages;
import org.nhsv2.platform.messaging.MessagingTopology;
import org.nhsv2.platform.testing.DemoUsers;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.MessageListenerContainer;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.beans.factory.annotation.Autowired;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.nhsv2.contracts.EmailTemplate.APPOINTMENT_CONFIRMATION;
import static org.nhsv2.contracts.EmailTemplate.PAYMENT_RECEIPT;
import static org.nhsv2.notification.EmailRequestFixtures.request;

/**
 * {@code PatientPersonalDataErased} over the real RabbitMQ: the patient's stored emails go, the delivery facts stay,
 * and an email requested before the erasure is not written when it comes later.
 */
class ErasureIT extends NotificationIntegrationTest {

    /** The mailbox's advisory lock on a patient's emails ({@code Mailbox.PATIENT_LOCK_NAMESPACE}, "NHNM"). */
    private static final int PATIENT_LOCK_NAMESPACE = 0x4e484e4d;
    private static final String ERASED = "the patient's personal data was erased before this email was sent";

    @Autowired
    private RabbitListenerEndpointRegistry listeners;
    @Autowired
    private DataSource dataSource;
    @Autowired
    private org.springframework.amqp.core.AmqpAdmin admin;
    @Autowired
    private DeadLetteredRequests deadLetteredRequests;

    @Test
    void shouldDeleteOnlyThatPatientsEmailsAndKeepTheDeliveryFactsWhenAPatientIsErased() {
        UUID erased = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        String erasedAddress = "erased." + erased + "@example.test";
        List<EmailRequested> erasedEmails = List.of(
                request(APPOINTMENT_CONFIRMATION).patient(erased).recipient(erasedAddress).invitation().build(),
                request(PAYMENT_RECEIPT).patient(erased).recipient(erasedAddress).build());
        EmailRequested otherEmail = request(APPOINTMENT_CONFIRMATION).patient(other).recipient("other." + other + "@example.test")
                .build();
        erasedEmails.forEach(this::publish);
        publish(otherEmail);
        erasedEmails.forEach(request -> assertThat(awaitAnswer(request.requestId())).isInstanceOf(EmailDelivered.class));
        EmailDelivered otherDelivered = (EmailDelivered) awaitAnswer(otherEmail.requestId());
        Instant erasedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);

        erase(new PatientPersonalDataErased(erased, erasedAt, "DATA_SUBJECT_REQUEST", "DSR-2026-0042"));

        Map<String, Object> erasure = awaitErasure(erased, erasedAt);
        assertThat(erasure.get("mailbox_emails_deleted")).isEqualTo(2);
        assertThat(erasure).containsEntry("basis", "DATA_SUBJECT_REQUEST").containsEntry("reference", "DSR-2026-0042");
        assertThat(emailsKeptFor(erased)).isZero();
        assertThat(as(DemoUsers.ADMIN).get("/api/mailbox?recipient=" + erasedAddress).body().path("emails")).isEmpty();
        for (EmailRequested request : erasedEmails) {
            Map<String, Object> facts = jdbc.sql("SELECT * FROM handled_request WHERE request_id = ?")
                    .param(request.requestId()).query().singleRow();
            assertThat(facts.get("outcome")).isEqualTo("DELIVERED");
            assertThat(facts.get("patient_id")).isEqualTo(erased);
            assertThat(facts.get("correlation_id")).isEqualTo(request.correlationId());
            assertThat((String) facts.get("provider_message_id")).startsWith("mailbox:");
            assertThat(facts.get("delivered_at")).isNotNull();
            assertThat(facts.get("handled_at")).isNotNull();
        }
        assertThat(emailsKeptFor(other)).isEqualTo(1);
        assertThat(jdbc.sql("SELECT subject FROM mailbox WHERE request_id = ?").param(otherEmail.requestId())
                .query(String.class).single()).isNotBlank();
        assertThat(otherDelivered.providerMessageId()).startsWith("mailbox:");
    }

    @Test
    void shouldChangeNothingMoreWhenTheSameErasureArrivesAgain() {
        UUID patient = UUID.randomUUID();
        EmailRequested email = request(PAYMENT_RECEIPT).patient(patient).build();
        publish(email);
        awaitAnswer(email.requestId());
        Instant first = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        erase(new PatientPersonalDataErased(patient, first));
        awaitErasure(patient, first);

        erase(new PatientPersonalDataErased(patient, first));
        Instant second = first.plusSeconds(60);
        erase(new PatientPersonalDataErased(patient, second));

        // The second erasure is handled after the repeated first one (one queue, one consumer).
        assertThat(awaitErasure(patient, second).get("mailbox_emails_deleted")).isEqualTo(0);
        assertThat(jdbc.sql("SELECT erased_at, mailbox_emails_deleted FROM patient_erasure WHERE patient_id = ?"
                        + " ORDER BY erased_at").param(patient)
                .query((row, number) -> tuple(row.getObject("erased_at", OffsetDateTime.class).toInstant(),
                        row.getInt("mailbox_emails_deleted")))
                .list())
                .containsExactly(tuple(first, 1), tuple(second, 0));
        assertThat(jdbc.sql("SELECT outcome FROM handled_request WHERE request_id = ?").param(email.requestId())
                .query(String.class).single()).isEqualTo("DELIVERED");
    }

    @Test
    void shouldStoreNothingAndAnswerFailedForGoodWhenARequestPublishedBeforeTheErasureIsHandledAfterIt() {
        UUID patient = UUID.randomUUID();
        EmailRequested late = request(APPOINTMENT_CONFIRMATION).patient(patient).recipient("late." + patient + "@example.test")
                .invitation().build();
        MessageListenerContainer requests = emailRequestListener();
        requests.stop();
        try {
            publish(late);
            // Erasures have a queue of their own: this one overtakes the request still waiting in its queue.
            Instant erasedAt = clock.instant().plusMillis(1).truncatedTo(ChronoUnit.MILLIS);
            erase(new PatientPersonalDataErased(patient, erasedAt));
            assertThat(awaitErasure(patient, erasedAt).get("mailbox_emails_deleted")).isEqualTo(0);
        } finally {
            requests.start();
        }

        assertThat(awaitAnswer(late.requestId())).isEqualTo(new EmailFailed(late.requestId(), late.correlationId(), ERASED, true));
        assertThat(mailboxEmailsFor(late.requestId())).isZero();
        assertThat(emailsKeptFor(patient)).isZero();
        assertThat(jdbc.sql("SELECT outcome || ': ' || failure_reason FROM handled_request WHERE request_id = ?")
                .param(late.requestId()).query(String.class).single()).isEqualTo("FAILED: " + ERASED);
    }

    @Test
    void shouldDeliverARequestPublishedAfterTheErasureWhenThePatientWasBookedAgain() {
        UUID patient = UUID.randomUUID();
        erasedAMinuteAgo(patient);
        EmailRequested again = request(APPOINTMENT_CONFIRMATION).patient(patient).recipient("again." + patient + "@example.test")
                .invitation().build();

        publish(again);

        assertThat(awaitAnswer(again.requestId())).isInstanceOf(EmailDelivered.class);
        assertThat(mailboxEmailsFor(again.requestId())).isEqualTo(1);
    }

    @Test
    void shouldStoreNothingWhenARequestWithoutAPublishingTimeIsForAPatientEverErased() {
        UUID patient = UUID.randomUUID();
        erasedAMinuteAgo(patient);
        EmailRequested older = request(PAYMENT_RECEIPT).patient(patient).build();

        // As a version from before publishing times published it, in flight while this one was deployed.
        rabbit.convertAndSend(MessagingTopology.EXCHANGE, Contract.EMAIL_REQUESTED.routingKey(), older, message -> {
            message.getMessageProperties().setAppId(APPOINTMENT_SERVICE);
            return message;
        });

        assertThat(awaitAnswer(older.requestId())).isEqualTo(new EmailFailed(older.requestId(), older.correlationId(), ERASED, true));
        assertThat(mailboxEmailsFor(older.requestId())).isZero();
    }

    @Test
    void shouldSeeAnErasureThatCommitsWhileTheRequestIsBeingHandled() throws SQLException {
        UUID patient = UUID.randomUUID();
        EmailRequested request = request(APPOINTMENT_CONFIRMATION).patient(patient).build();
        try (Connection erasure = dataSource.getConnection()) {
            erasure.setAutoCommit(false);
            // An erasure under way: it holds the patient's lock, as PatientErasures does, and has not committed.
            try (PreparedStatement lock = erasure.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)")) {
                lock.setInt(1, PATIENT_LOCK_NAMESPACE);
                lock.setInt(2, patient.hashCode());
                lock.execute();
            }
            publish(request);
            Instant erasedAt = clock.instant().plusMillis(1).truncatedTo(ChronoUnit.MILLIS);
            await().atMost(DEADLINE).until(() -> waitingForTheLockOf(patient));
            try (PreparedStatement record = erasure.prepareStatement("INSERT INTO patient_erasure"
                    + " (patient_id, erased_at, mailbox_emails_deleted, recorded_at) VALUES (?, ?, 0, now())")) {
                record.setObject(1, patient);
                record.setTimestamp(2, Timestamp.from(erasedAt));
                record.executeUpdate();
            }
            erasure.commit();
        }

        assertThat(awaitAnswer(request.requestId()))
                .isEqualTo(new EmailFailed(request.requestId(), request.correlationId(), ERASED, true));
        assertThat(mailboxEmailsFor(request.requestId())).isZero();
    }

    /** Whether a transaction waits for the patient's lock on their emails, which the test's erasure holds. */
    private boolean waitingForTheLockOf(UUID patient) {
        return jdbc.sql("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid::bigint = ?"
                        + " AND objid::bigint = ? AND objsubid = 2")
                .params(PATIENT_LOCK_NAMESPACE, patient.hashCode() & 0xffffffffL)
                .query(Integer.class).single() > 0;
    }

    private MessageListenerContainer emailRequestListener() {
        List<MessageListenerContainer> found = listeners.getListenerContainers().stream()
                .filter(container -> container instanceof AbstractMessageListenerContainer listening
                        && Arrays.asList(listening.getQueueNames()).contains(MessagingTopology.NOTIFICATION_EMAIL_REQUESTS))
                .toList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    /**
     * Requests dead-lettered for an operator hold the address, name and content: an erasure deletes those naming the
     * patient and leaves the others, in order, where they were.
     */
    @Test
    void shouldDeleteThePatientsRequestsFromTheDeadLettersAndKeepTheOthers() {
        deadLetters(DEAD_LETTERS); // what earlier tests left there, read out of the way
        UUID erased = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        EmailRequested erasedRequest = request(APPOINTMENT_CONFIRMATION).patient(erased)
                .recipient("erased." + erased + "@example.test").build();
        List<EmailRequested> otherRequests = List.of(request(APPOINTMENT_CONFIRMATION).patient(other).build(),
                request(PAYMENT_RECEIPT).patient(other).build());
        // No requester to answer: dead-lettered at once, unsent
        deadLetter(otherRequests.get(0));
        deadLetter(erasedRequest);
        deadLetter(otherRequests.get(1));
        await().atMost(DEADLINE).until(() -> admin.getQueueInfo(DEAD_LETTERS).getMessageCount() == 3);
        Instant erasedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);

        erase(new PatientPersonalDataErased(erased, erasedAt));

        // The erasure's record commits before its sweep: counted once the sweep is done.
        await().atMost(DEADLINE).until(() -> awaitErasure(erased, erasedAt).get("dead_letters_deleted"),
                Integer.valueOf(1)::equals);
        assertThat(admin.getQueueInfo(DEAD_LETTERS).getMessageCount()).isEqualTo(2);
        List<String> left = deadLetters(DEAD_LETTERS).stream().map(message -> message.getMessageProperties().getMessageId())
                .toList();
        assertThat(left).doesNotContain(erasedRequest.requestId().toString())
                .containsSubsequence(otherRequests.get(0).requestId().toString(), otherRequests.get(1).requestId().toString());
    }

    /**
     * Requests that reach the dead letters after the erasure was handled (a last try under way when it came, one that
     * cannot be read): the next sweep deletes those written before the erasure, and keeps a request published after it
     * (the patient booked again) and another patient's.
     */
    @Test
    void shouldDeleteRequestsDeadLetteredAfterTheErasureAtTheNextSweep() {
        UUID erased = UUID.randomUUID();
        Instant erasedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        // Recorded as the announcement's handling records it, without the sweep that follows it there: this test sweeps.
        jdbc.sql("INSERT INTO patient_erasure (patient_id, erased_at, mailbox_emails_deleted, recorded_at) VALUES (?, ?, 0, ?)")
                .params(erased, erasedAt.atOffset(ZoneOffset.UTC), erasedAt.atOffset(ZoneOffset.UTC)).update();
        deadLetters(DEAD_LETTERS); // what earlier tests left there, read out of the way
        EmailRequested writtenBefore = request(APPOINTMENT_CONFIRMATION).patient(erased).build();
        EmailRequested bookedAgain = request(APPOINTMENT_CONFIRMATION).patient(erased).build();
        EmailRequested otherPatients = request(PAYMENT_RECEIPT).patient(UUID.randomUUID()).build();
        EmailRequested oddlyStamped = request(PAYMENT_RECEIPT).patient(erased).build();
        String unreadable = UUID.randomUUID().toString();
        deadLetter(writtenBefore, erasedAt.minusSeconds(60));
        deadLetter(bookedAgain, erasedAt.plusSeconds(60));
        deadLetter(otherPatients, erasedAt.minusSeconds(60));
        // A time no publisher writes, long before any erasure: as good as none
        deadLetter(oddlyStamped, Long.MIN_VALUE);
        // Cannot be read (nor does it say when it was published): dead-lettered after the listener's tries
        publishRaw(Contract.EMAIL_REQUESTED.routingKey(), Contract.EMAIL_REQUESTED.type(),
                "{\"patientId\": \"" + erased + "\", \"recipient\": \"pat@example.test\", ", unreadable);
        await().atMost(DEADLINE).until(() -> admin.getQueueInfo(DEAD_LETTERS).getMessageCount() == 5);

        assertThat(deadLetteredRequests.sweep()).isEqualTo(3);

        assertThat(awaitErasure(erased, erasedAt).get("dead_letters_deleted")).isEqualTo(3);
        assertThat(deadLetters(DEAD_LETTERS).stream().map(message -> message.getMessageProperties().getMessageId()))
                .doesNotContain(writtenBefore.requestId().toString(), unreadable, oddlyStamped.requestId().toString())
                .contains(bookedAgain.requestId().toString(), otherPatients.requestId().toString());
        assertThat(deadLetteredRequests.sweep()).as("nothing more to delete").isZero();
    }

    /** The dead letters cannot be swept (the queue gone): the erasure itself is committed all the same. */
    @Test
    void shouldEraseTheMailboxAndRecordTheErasureEvenWhenTheDeadLettersCannotBeSwept() {
        UUID erased = UUID.randomUUID();
        EmailRequested email = request(APPOINTMENT_CONFIRMATION).patient(erased).build();
        publish(email);
        assertThat(awaitAnswer(email.requestId())).isInstanceOf(EmailDelivered.class);
        Instant erasedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        admin.deleteQueue(DEAD_LETTERS);
        try {
            erase(new PatientPersonalDataErased(erased, erasedAt));

            assertThat(awaitErasure(erased, erasedAt).get("mailbox_emails_deleted")).isEqualTo(1);
            assertThat(emailsKeptFor(erased)).isZero();
        } finally {
            ((org.springframework.amqp.rabbit.core.RabbitAdmin) admin).initialize(); // the topology declared again
        }
    }

    private void deadLetter(EmailRequested request) {
        rabbit.convertAndSend(MessagingTopology.EXCHANGE, Contract.EMAIL_REQUESTED.routingKey(), request);
    }

    /** No requester to answer: dead-lettered at once, unsent, stamped as published at {@code publishedAt}. */
    private void deadLetter(EmailRequested request, Instant publishedAt) {
        deadLetter(request, IntegrationMessages.publishedAt(publishedAt));
    }

    private void deadLetter(EmailRequested request, long publishedAtMicros) {
        rabbit.convertAndSend(MessagingTopology.EXCHANGE, Contract.EMAIL_REQUESTED.routingKey(), request, message -> {
            message.getMessageProperties().setHeader(IntegrationMessages.PUBLISHED_AT, publishedAtMicros);
            return message;
        });
    }

    private void erase(PatientPersonalDataErased erased) {
        rabbit.convertAndSend(MessagingTopology.EXCHANGE, Contract.PATIENT_PERSONAL_DATA_ERASED.routingKey(), erased,
                message -> {
                    message.getMessageProperties().setAppId(MessagingTopology.APPOINTMENT_SERVICE);
                    return message;
                });
    }

    private Map<String, Object> awaitErasure(UUID patientId, Instant erasedAt) {
        return await().atMost(DEADLINE).until(() -> jdbc.sql("SELECT * FROM patient_erasure WHERE patient_id = ? AND"
                                + " erased_at = ?").params(patientId, erasedAt.atOffset(ZoneOffset.UTC))
                        .query().listOfRows(),
                rows -> rows.size() == 1).get(0);
    }

    private int emailsKeptFor(UUID patientId) {
        return jdbc.sql("SELECT count(*) FROM mailbox WHERE patient_id = ?").param(patientId).query(Integer.class).single();
    }

    private void erasedAMinuteAgo(UUID patient) {
        Instant erasedAt = clock.instant().minus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.MILLIS);
        erase(new PatientPersonalDataErased(patient, erasedAt));
        awaitErasure(patient, erasedAt);
    }
}
