package org.nhsv2.appointment.saga;

import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nhsv2.appointment.IntegrationTest;
import org.nhsv2.contracts.Contract;
import org.nhsv2.contracts.EmailDelivered;
import org.nhsv2.contracts.EmailFailed;
import org.nhsv2.contracts.EmailRequested;
import org.nhsv2.contracts.EmailSuperseded;
import org.nhsv2.contracts.EmailTemplate;
import org.nhsv2.contracts.PatientPersonalDataErased;
import org.nhsv2.platform.messaging.MessagingTopology;
import org.nhsv2.platform.testing.Api;
import org.springframework.amqp.core.AnonymousQueue;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.nhsv2.platform.testing.DemoUsers.ADMIN;
import static org.nhsv2.platform.testing.DemoUsers.ALICE;
import static org.nhsv2.platform.testing.DemoUsers.RIVERSIDE;

/**
 * The saga over the real RabbitMQ, with this test in notification-service's place: it reads the
 * requests the service publishes and answers them as notification-service would.
 */
class ConfirmationIT extends IntegrationTest {

    @Autowired
    private RabbitTemplate rabbit;
    @Autowired
    private RabbitAdmin admin;
    @Autowired
    private EmailAnswers answers;

    private final List<String> queues = new ArrayList<>();

    @BeforeEach
    void listen() {
        listenTo(Contract.EMAIL_REQUESTED.routingKey());
        listenTo(Contract.PATIENT_PERSONAL_DATA_ERASED.routingKey());
    }

    @AfterEach
    void stopListening() {
        queues.forEach(admin::deleteQueue);
    }

    @Test
    void shouldRequestAConfirmationWithAnInvitationAndShowItsDeliveryOnTheAppointment() throws Exception {
        Api alice = as(ALICE);
        UUID patient = UUID.randomUUID();
        Instant start = freeSlot();
        Api.Response booked = alice.post("/api/appointments", booking(RIVERSIDE, patient, start));
        UUID appointment = UUID.fromString(booked.text("appointmentId"));

        EmailRequested request = awaitRequest(appointment, EmailTemplate.APPOINTMENT_CONFIRMATION);
        assertThat(request.recipient()).isEqualTo(booking(RIVERSIDE, patient, start).get("patientEmail"));
        assertThat(request.patientId()).isEqualTo(patient);
        assertThat(request.model()).containsEntry(EmailTemplate.START, start.toString())
                .containsEntry(EmailTemplate.ZONE, "Europe/London")
                .containsKeys(EmailTemplate.APPOINTMENT_CONFIRMATION.requiredKeys().toArray(String[]::new));
        assertThat(request.attachments()).singleElement()
                .satisfies(attachment -> assertThat(attachment.contentType()).contains("method=REQUEST"));
        Calendar invitation = new CalendarBuilder().build(new StringReader(new String(
                Base64.getDecoder().decode(request.attachments().get(0).content()), StandardCharsets.UTF_8)));
        assertThat(invitation.validate().hasErrors()).isFalse();
        assertThat(invitation.getComponent("VEVENT").orElseThrow().getProperty("UID").orElseThrow().getValue())
                .isEqualTo(appointment + "@nhsv2");
        assertThat(jdbc.queryForObject("select count(*) from saga_entry where convert_from(serialized_saga, 'UTF8') like ?",
                Integer.class, "%" + request.recipient() + "%")).as("the saga keeps the address sealed").isZero();

        Instant deliveredAt = Instant.parse("2026-11-27T10:00:00Z");
        answer(new EmailDelivered(request.requestId(), appointment, "sg-1", deliveredAt));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                alice.get("/api/appointments/" + appointment).text("emailDeliveredAt")).isEqualTo(deliveredAt.toString()));
        answer(new EmailDelivered(request.requestId(), appointment, "sg-1", deliveredAt));
        answer(new EmailFailed(UUID.randomUUID(), appointment, "mailbox full", false));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                alice.get("/api/appointments/" + appointment).text("emailFailure")).isEqualTo("mailbox full"));
        assertThat(alice.get("/api/appointments/" + appointment + "/history").body().path("entries").findValuesAsText("type"))
                .as("the repeated delivery is recorded once")
                .containsExactly("AppointmentBooked", "ConfirmationDelivered", "ConfirmationFailed");
    }

    /**
     * A plain address with characters a URI must encode: the invitation names it encoded, where a URI that
     * could not be made had failed the saga's handler, and its processor retried that booking for good.
     */
    @Test
    void shouldRequestTheConfirmationOfAnAddressThatAUriMustEncode() throws Exception {
        Map<String, Object> body = booking(RIVERSIDE, UUID.randomUUID(), freeSlot());
        body.put("patientEmail", "pat{one}|clinic@example.test");
        UUID appointment = UUID.fromString(as(ALICE).post("/api/appointments", body).text("appointmentId"));

        EmailRequested request = awaitRequest(appointment, EmailTemplate.APPOINTMENT_CONFIRMATION);
        assertThat(request.recipient()).isEqualTo("pat{one}|clinic@example.test");
        Calendar invitation = new CalendarBuilder().build(new StringReader(ics(request)));
        assertThat(invitation.getComponent("VEVENT").orElseThrow().getProperty("ATTENDEE").orElseThrow().getValue())
                .isEqualTo("mailto:pat%7Bone%7D%7Cclinic@example.test");
    }

    @Test
    void shouldSendAnUpdatedInvitationOnARescheduleAndACancellationOnACancel() throws Exception {
        Api alice = as(ALICE);
        Instant start = freeSlot();
        UUID appointment = UUID.fromString(alice.post("/api/appointments", booking(RIVERSIDE, UUID.randomUUID(), start))
                .text("appointmentId"));
        awaitRequest(appointment, EmailTemplate.APPOINTMENT_CONFIRMATION);

        alice.post("/api/appointments/" + appointment + "/reschedule",
                Map.of("start", start.plus(Duration.ofHours(1)).toString(), "reason", "Doctor away"));
        EmailRequested changed = awaitRequest(appointment, EmailTemplate.APPOINTMENT_RESCHEDULED);
        assertThat(changed.model()).containsEntry(EmailTemplate.PREVIOUS_START, start.toString())
                .containsEntry(EmailTemplate.START, start.plus(Duration.ofHours(1)).toString());
        assertThat(ics(changed)).contains("SEQUENCE:1").contains("METHOD:REQUEST");
        assertThat(changed.revision()).as("the invitation's sequence orders the emails").isEqualTo(1);

        alice.post("/api/appointments/" + appointment + "/cancel", Map.of("reason", "Patient asked"));
        EmailRequested cancelled = awaitRequest(appointment, EmailTemplate.APPOINTMENT_CANCELLED);
        assertThat(ics(cancelled)).contains("SEQUENCE:2").contains("METHOD:CANCEL").contains("STATUS:CANCELLED");
        assertThat(cancelled.attachments().get(0).contentType()).contains("method=CANCEL");
        assertThat(cancelled.revision()).isEqualTo(2);
    }

    /**
     * notification-service did not send the confirmation, as the updated invitation reached the patient first: recorded
     * on the appointment as superseded (once), not as a failure, and the appointment's email status is the newer one's.
     */
    @Test
    void shouldRecordAnEmailSupersededByANewerOneWithoutShowingAFailure() throws Exception {
        Api alice = as(ALICE);
        Instant start = freeSlot();
        UUID appointment = UUID.fromString(alice.post("/api/appointments", booking(RIVERSIDE, UUID.randomUUID(), start))
                .text("appointmentId"));
        EmailRequested confirmation = awaitRequest(appointment, EmailTemplate.APPOINTMENT_CONFIRMATION);
        assertThat(confirmation.revision()).isZero();
        alice.post("/api/appointments/" + appointment + "/reschedule",
                Map.of("start", start.plus(Duration.ofHours(1)).toString(), "reason", "Doctor away"));
        EmailRequested changed = awaitRequest(appointment, EmailTemplate.APPOINTMENT_RESCHEDULED);
        Instant deliveredAt = Instant.parse("2026-11-27T10:00:00Z");

        answer(new EmailDelivered(changed.requestId(), appointment, "sg-2", deliveredAt));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                alice.get("/api/appointments/" + appointment).text("emailDeliveredAt")).isEqualTo(deliveredAt.toString()));
        answer(new EmailSuperseded(confirmation.requestId(), appointment, changed.requestId()));
        answer(new EmailSuperseded(confirmation.requestId(), appointment, changed.requestId()));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                alice.get("/api/appointments/" + appointment + "/history").body().path("entries").findValuesAsText("type"))
                .containsExactly("AppointmentBooked", "AppointmentRescheduled", "ConfirmationDelivered",
                        "ConfirmationSuperseded"));
        Api.Response view = alice.get("/api/appointments/" + appointment);
        assertThat(view.text("emailDeliveredAt")).isEqualTo(deliveredAt.toString());
        assertThat(view.body().path("emailFailure").isNull()).isTrue();
        assertThat(alice.get("/api/appointments/" + appointment + "/history").body().path("entries").get(3).toString())
                .contains(changed.requestId().toString());
    }

    @Test
    void shouldTellTheOtherServicesOfAnErasure() {
        UUID patient = UUID.randomUUID();
        as(ALICE).post("/api/appointments", booking(RIVERSIDE, patient, freeSlot()));

        assertThat(as(ADMIN).delete("/api/patients/" + patient + "/personal-data?basis=LEGAL_OBLIGATION&reference=ORDER-2026/7")
                .status()).isEqualTo(200);

        PatientPersonalDataErased told = await().atMost(Duration.ofSeconds(20)).until(
                () -> received(PatientPersonalDataErased.class, erased -> erased.patientId().equals(patient)), found -> found != null);
        assertThat(told.erasedAt()).isBefore(Instant.now().plusSeconds(1));
        assertThat(told.basis()).as("the other services record why too").isEqualTo("LEGAL_OBLIGATION");
        assertThat(told.reference()).isEqualTo("ORDER-2026/7");
    }

    /**
     * An answer for an appointment this store does not hold (another environment's, a wiped store's) is dropped,
     * not failed: failing, it went through every retry into the dead letters.
     */
    @Test
    void shouldDropAnAnswerForAnAppointmentThatIsNotHere() {
        UUID nowhere = UUID.randomUUID();

        answers.on(new EmailDelivered(UUID.randomUUID(), nowhere, "sg-nowhere", Instant.now()));
        answers.on(new EmailFailed(UUID.randomUUID(), nowhere, "Mailbox full", true));

        assertThat(jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier = ?",
                Integer.class, nowhere.toString())).isZero();
    }

    private void listenTo(String routingKey) {
        Queue queue = new AnonymousQueue();
        admin.declareQueue(queue);
        admin.declareBinding(BindingBuilder.bind(queue).to(new TopicExchange(MessagingTopology.EXCHANGE)).with(routingKey));
        queues.add(queue.getName());
    }

    private final List<Object> seen = new ArrayList<>();

    private EmailRequested awaitRequest(UUID appointment, EmailTemplate template) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> received(EmailRequested.class,
                request -> request.correlationId().equals(appointment) && request.template() == template), found -> found != null);
    }

    private <T> T received(Class<T> type, java.util.function.Predicate<T> wanted) {
        for (String queue : queues) {
            Object message;
            while ((message = rabbit.receiveAndConvert(queue)) != null) {
                seen.add(message);
            }
        }
        return seen.stream().filter(type::isInstance).map(type::cast).filter(wanted).findFirst().orElse(null);
    }

    private void answer(Object answer) {
        rabbit.convertAndSend(MessagingTopology.EXCHANGE,
                MessagingTopology.answerKey(Contract.of(answer), MessagingTopology.APPOINTMENT_SERVICE), answer);
    }

    private static String ics(EmailRequested request) {
        return new String(Base64.getDecoder().decode(request.attachments().get(0).content()), StandardCharsets.UTF_8);
    }
}
