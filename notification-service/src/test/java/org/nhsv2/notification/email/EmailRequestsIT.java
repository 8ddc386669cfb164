package org.nhsv2.notification.email;

import org.junit.jupiter.api.Test;
import org.nhsv2.contracts.Contract;
import org.nhsv2.contracts.EmailDelivered;
import org.nhsv2.contracts.EmailFailed;
import org.nhsv2.contracts.EmailRequested;
import org.nhsv2.contracts.EmailSuperseded;
import org.nhsv2.notification.NotificationIntegrationTest;
import org.springframework.amqp.core.Message;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.nhsv2.contracts.EmailTemplate.APPOINTMENT_CANCELLED;
import static org.nhsv2.contracts.EmailTemplate.APPOINTMENT_CONFIRMATION;
import static org.nhsv2.contracts.EmailTemplate.APPOINTMENT_REMINDER;
import static org.nhsv2.contracts.EmailTemplate.EXPIRES_AT;
import static org.nhsv2.contracts.EmailTemplate.PAYMENT_LINK;
import static org.nhsv2.contracts.EmailTemplate.PAYMENT_RECEIPT;
import static org.nhsv2.contracts.EmailTemplate.START;
import static org.nhsv2.notification.EmailRequestFixtures.INVITATION;
import static org.nhsv2.notification.EmailRequestFixtures.INVITATION_TYPE;
import static org.nhsv2.notification.EmailRequestFixtures.request;

/** Email requests over the real RabbitMQ, kept in the mailbox (no SendGrid key), answered to the appointment service. */
class EmailRequestsIT extends NotificationIntegrationTest {

    @Autowired
    private EmailRequests requests;

    @Test
    void shouldKeepOneEmailAndAnswerDeliveredWhenARequestArrives() {
        EmailRequested request = request(APPOINTMENT_CONFIRMATION).invitation().build();

        publish(request);

        EmailDelivered delivered = (EmailDelivered) awaitAnswer(request.requestId());
        assertThat(delivered.correlationId()).isEqualTo(request.correlationId());
        assertThat(delivered.providerMessageId()).startsWith("mailbox:");
        Map<String, Object> email = jdbc.sql("SELECT * FROM mailbox WHERE request_id = ?").param(request.requestId())
                .query().singleRow();
        assertThat(delivered.providerMessageId()).isEqualTo("mailbox:" + email.get("id"));
        assertThat(email.get("recipient")).isEqualTo("pat.one@example.test");
        assertThat(email.get("patient_id")).isEqualTo(request.patientId());
        assertThat(email.get("subject")).isEqualTo("Your appointment on Tuesday 1 December 2026, 09:00 (GMT) is confirmed");
        assertThat((String) email.get("text_body")).contains("Dear Pat One,");
        assertThat((String) email.get("html_body")).contains("<p>Dear <span>Pat One</span>,</p>");
        assertThat(email.get("attachments").toString()).contains(INVITATION_TYPE, INVITATION, "invitation.ics");
        assertThat(jdbc.sql("SELECT outcome FROM handled_request WHERE request_id = ?").param(request.requestId())
                .query(String.class).single()).isEqualTo("DELIVERED");
    }

    @Test
    void shouldSendOnceAndAnswerAgainWhenTheSameRequestArrivesTwice() {
        EmailRequested request = request(PAYMENT_RECEIPT).build();

        publish(request);
        publish(request);

        List<Object> answers = awaitAnswers(request.requestId(), 2);
        assertThat(answers).hasSize(2).allSatisfy(answer -> assertThat(answer).isEqualTo(answers.get(0)));
        assertThat(answers.get(0)).isInstanceOf(EmailDelivered.class);
        assertThat(mailboxEmailsFor(request.requestId())).isEqualTo(1);
    }

    @Test
    void shouldSendOnceWhenTwoConsumersHandleTheSameRequestAtOnce() throws Exception {
        EmailRequested request = request(APPOINTMENT_CONFIRMATION).build();
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService consumers = Executors.newFixedThreadPool(2);
        try {
            List<CompletableFuture<Object>> handled = List.of(1, 2).stream()
                    .map(consumer -> CompletableFuture.supplyAsync(() -> {
                        await(start);
                        return requests.handle(request, APPOINTMENT_SERVICE, clock.instant());
                    }, consumers))
                    .toList();

            Object first = handled.get(0).get(30, TimeUnit.SECONDS);
            Object second = handled.get(1).get(30, TimeUnit.SECONDS);

            assertThat(first).isInstanceOf(EmailDelivered.class).isEqualTo(second);
            assertThat(mailboxEmailsFor(request.requestId())).isEqualTo(1);
        } finally {
            consumers.shutdownNow();
        }
    }

    @Test
    void shouldAnswerFailedForGoodWhenARequiredModelValueIsMissing() {
        EmailRequested request = request(APPOINTMENT_CONFIRMATION).without(START).build();

        publish(request);

        assertThat(awaitAnswer(request.requestId()))
                .isEqualTo(new EmailFailed(request.requestId(), request.correlationId(), "the model lacks start", true));
        assertThat(mailboxEmailsFor(request.requestId())).isZero();
        assertThat(jdbc.sql("SELECT outcome || ': ' || failure_reason FROM handled_request WHERE request_id = ?")
                .param(request.requestId()).query(String.class).single()).isEqualTo("FAILED: the model lacks start");
    }

    @Test
    void shouldAnswerFailedForGoodWhenTheAddressIsInvalid() {
        EmailRequested request = request(APPOINTMENT_CONFIRMATION).recipient("pat.one@example.test, eve@example.test")
                .build();

        publish(request);

        EmailFailed failed = (EmailFailed) awaitAnswer(request.requestId());
        assertThat(failed.permanent()).isTrue();
        assertThat(failed.reason()).isEqualTo("the recipient is not a valid email address");
        assertThat(mailboxEmailsFor(request.requestId())).isZero();
    }

    /** Held up longer than the link lives (SendGrid away for over half an hour): a dead link is not sent. */
    @Test
    void shouldAnswerFailedForGoodWithoutSendingWhenThePaymentLinkExpiredMeanwhile() {
        String expiredAt = clock.instant().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS).toString();
        EmailRequested request = request(PAYMENT_LINK).with(EXPIRES_AT, expiredAt).build();

        publish(request);

        EmailFailed failed = (EmailFailed) awaitAnswer(request.requestId());
        assertThat(failed.permanent()).isTrue();
        assertThat(failed.reason()).isEqualTo("the payment link expired at " + expiredAt + " before it could be sent");
        assertThat(mailboxEmailsFor(request.requestId())).isZero();
    }

    /** A send before it had its answer lost: the patient may have the link, and the failure must not say otherwise. */
    @Test
    void shouldSayAnEarlierSendMayHaveDeliveredTheLinkWhenItExpiredAfterAnAnswerWasLost() {
        String expiredAt = clock.instant().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS).toString();
        EmailRequested request = request(PAYMENT_LINK).with(EXPIRES_AT, expiredAt).build();
        jdbc.sql("""
                        INSERT INTO handled_request (request_id, correlation_id, patient_id, template, requester, answers_lost)
                        VALUES (?, ?, ?, 'PAYMENT_LINK', ?, 1)""")
                .params(request.requestId(), request.correlationId(), request.patientId(), APPOINTMENT_SERVICE).update();

        publish(request);

        EmailFailed failed = (EmailFailed) awaitAnswer(request.requestId());
        assertThat(failed.permanent()).isTrue();
        assertThat(failed.reason()).isEqualTo("the payment link expired at " + expiredAt + " before it could be sent"
                + " again; " + EmailRequests.answerLost(1));
        assertThat(mailboxEmailsFor(request.requestId())).isZero();
    }

    @Test
    void shouldDeadLetterWhenAMessageCannotBeRead() {
        String unknownType = UUID.randomUUID().toString();
        String brokenJson = UUID.randomUUID().toString();

        publishRaw(Contract.EMAIL_REQUESTED.routingKey(), "EmailRequestedV9", "{}", unknownType);
        publishRaw(Contract.EMAIL_REQUESTED.routingKey(), Contract.EMAIL_REQUESTED.type(), "{\"requestId\": ", brokenJson);

        awaitDeadLetter(DEAD_LETTERS, withMessageId(unknownType));
        awaitDeadLetter(DEAD_LETTERS, withMessageId(brokenJson));
    }

    @Test
    void shouldDeadLetterWithoutSendingWhenNoRequesterIsNamed() {
        EmailRequested request = request(APPOINTMENT_CONFIRMATION).build();

        rabbit.convertAndSend(org.nhsv2.platform.messaging.MessagingTopology.EXCHANGE,
                Contract.EMAIL_REQUESTED.routingKey(), request);

        awaitDeadLetter(DEAD_LETTERS, withMessageId(request.requestId().toString()));
        assertThat(mailboxEmailsFor(request.requestId())).isZero();
    }

    @Test
    void shouldNotSendAnEmailOnceANewerOneAboutTheSameAppointmentWentOut() {
        UUID appointment = UUID.randomUUID();
        EmailRequested cancellation = request(APPOINTMENT_CANCELLED).about(appointment).revision(1).build();
        EmailRequested confirmation = request(APPOINTMENT_CONFIRMATION).about(appointment).revision(0).build();

        publish(cancellation);
        assertThat(awaitAnswer(cancellation.requestId())).isInstanceOf(EmailDelivered.class);
        publish(confirmation);

        assertThat(awaitAnswer(confirmation.requestId()))
                .isEqualTo(new EmailSuperseded(confirmation.requestId(), appointment, cancellation.requestId()));
        assertThat(mailboxEmailsFor(confirmation.requestId())).isZero();
        assertThat(jdbc.sql("SELECT outcome || ' by ' || superseded_by FROM handled_request WHERE request_id = ?")
                .param(confirmation.requestId()).query(String.class).single())
                .isEqualTo("SUPERSEDED by " + cancellation.requestId());
        // Asked again with the same id, it is answered the same and still not sent.
        publish(confirmation);
        assertThat(awaitAnswers(confirmation.requestId(), 2)).containsOnly(awaitAnswer(confirmation.requestId()));
        assertThat(mailboxEmailsFor(confirmation.requestId())).isZero();
    }

    @Test
    void shouldSendEmailsOfTheSameRevisionOfNoneOrOfAnotherRequesterWhateverTheirOrder() {
        UUID appointment = UUID.randomUUID();
        EmailRequested reminder = request(APPOINTMENT_REMINDER).about(appointment).revision(1).build();
        EmailRequested sameRevision = request(APPOINTMENT_CONFIRMATION).about(appointment).revision(1).build();
        EmailRequested noRevision = request(APPOINTMENT_CONFIRMATION).about(appointment).build();
        EmailRequested otherRequester = request(PAYMENT_RECEIPT).about(appointment).revision(0).build();

        publish(reminder);
        assertThat(awaitAnswer(reminder.requestId())).isInstanceOf(EmailDelivered.class);
        publish(sameRevision);
        publish(noRevision);
        publish(otherRequester, "payment-service");

        assertThat(awaitAnswer(sameRevision.requestId())).isInstanceOf(EmailDelivered.class);
        assertThat(awaitAnswer(noRevision.requestId())).isInstanceOf(EmailDelivered.class);
        org.awaitility.Awaitility.await().atMost(DEADLINE).until(() -> mailboxEmailsFor(otherRequester.requestId()) == 1);
        assertThat(jdbc.sql("SELECT outcome FROM handled_request WHERE request_id = ?").param(otherRequester.requestId())
                .query(String.class).single()).isEqualTo("DELIVERED");
    }

    /**
     * Two consumers handle an appointment's older and newer email at the same moment, many times over: the older one
     * is either sent first or not at all, never kept after the newer one.
     */
    @Test
    void shouldNeverSendTheOlderEmailAfterTheNewerWhenBothAreHandledAtOnce() throws Exception {
        ExecutorService consumers = Executors.newFixedThreadPool(2);
        int superseded = 0;
        try {
            for (int round = 0; round < 20; round++) {
                UUID appointment = UUID.randomUUID();
                EmailRequested older = request(APPOINTMENT_CONFIRMATION).about(appointment).revision(0).build();
                EmailRequested newer = request(APPOINTMENT_CANCELLED).about(appointment).revision(1).build();
                CyclicBarrier start = new CyclicBarrier(2);
                List<CompletableFuture<Object>> handled = List.of(newer, older).stream()
                        .map(request -> CompletableFuture.supplyAsync(() -> {
                            await(start);
                            return requests.handle(request, APPOINTMENT_SERVICE, clock.instant());
                        }, consumers))
                        .toList();

                assertThat(handled.get(0).get(30, TimeUnit.SECONDS)).isInstanceOf(EmailDelivered.class);
                Object olderAnswer = handled.get(1).get(30, TimeUnit.SECONDS);
                if (olderAnswer instanceof EmailSuperseded) {
                    superseded++;
                    assertThat(mailboxEmailsFor(older.requestId())).isZero();
                } else {
                    assertThat(olderAnswer).isInstanceOf(EmailDelivered.class);
                    assertThat(mailboxId(older)).as("round %d: the older email kept after the newer", round)
                            .isLessThan(mailboxId(newer));
                }
            }
        } finally {
            consumers.shutdownNow();
        }
        System.out.printf("older and newer email at once, 20 rounds: the older superseded in %d, sent first in %d%n",
                superseded, 20 - superseded);
    }

    private long mailboxId(EmailRequested request) {
        return jdbc.sql("SELECT id FROM mailbox WHERE request_id = ?").param(request.requestId()).query(Long.class).single();
    }

    /**
     * The broker takes no answer for a requester nobody listens for (no queue is bound): every attempt
     * fails after the commit, as a crash between commit and answer would. Each retry finds the stored
     * outcome; the email is kept once, and the request ends in the dead letters instead of looping.
     */
    @Test
    void shouldSendOnceWhenTheAnswerCannotBePublishedUntilTheRequestIsDeadLettered() {
        EmailRequested request = request(APPOINTMENT_CONFIRMATION).build();

        publish(request, "unknown-service");

        Message dead = awaitDeadLetter(DEAD_LETTERS, withMessageId(request.requestId().toString()));
        assertThat(dead.getMessageProperties().getAppId()).isEqualTo("unknown-service");
        assertThat(mailboxEmailsFor(request.requestId())).isEqualTo(1);
        assertThat(jdbc.sql("SELECT outcome FROM handled_request WHERE request_id = ?").param(request.requestId())
                .query(String.class).single()).isEqualTo("DELIVERED");
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
