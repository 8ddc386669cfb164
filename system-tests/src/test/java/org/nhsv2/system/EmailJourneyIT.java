package org.nhsv2.system;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nhsv2.contracts.Contract;
import org.nhsv2.contracts.ContractJson;
import org.nhsv2.contracts.EmailRequested;
import org.nhsv2.contracts.EmailTemplate;
import org.nhsv2.system.Journeys.Patient;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The email journey across three processes and the machine's RabbitMQ: appointment-service asks,
 * notification-service sends (to its local mailbox) and answers, the appointment records it. Once,
 * also when a message arrives twice or a service dies in between.
 */
class EmailJourneyIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final int RABBIT_PORT = Integer.parseInt(System.getenv().getOrDefault("NHSV2_RABBITMQ_PORT", "5672"));

    private static final Stack STACK = new Stack(RABBIT_PORT);

    private static Map<String, ServiceProcess> services;
    private static ServiceProcess appointments;
    private static ServiceProcess payments;
    private static ServiceProcess notifications;

    @BeforeAll
    static void startThePlatform() {
        services = STACK.startAll(List.of(Stack.APPOINTMENT, Stack.PAYMENT, Stack.NOTIFICATION));
        appointments = services.get(Stack.APPOINTMENT);
        payments = services.get(Stack.PAYMENT);
        notifications = services.get(Stack.NOTIFICATION);
    }

    @AfterAll
    static void stopThePlatform() {
        services.values().forEach(ServiceProcess::close);
    }

    @Test
    void shouldEmailTheConfirmationWithItsInvitationOnceAndRecordItsDelivery() {
        Patient patient = Patient.fresh();
        UUID appointment = Journeys.book(appointments, patient, "Check-up");

        await().atMost(PATIENCE).until(() -> !Journeys.appointment(appointments, appointment).path("emailDeliveredAt").isNull());
        List<JsonNode> emails = Journeys.mailbox(notifications, patient.email());
        assertThat(emails).hasSize(1);
        JsonNode email = emails.get(0);
        assertThat(email.path("subject").asText()).containsIgnoringCase("appointment");
        assertThat(email.path("text").asText()).contains(patient.name()).doesNotContain("Check-up");
        assertThat(email.path("attachments").get(0).path("contentType").asText()).contains("method=REQUEST");
        assertThat(Journeys.historyTypes(appointments, appointment)).containsExactly("AppointmentBooked", "ConfirmationDelivered");
    }

    @Test
    void shouldSendOnceWhenTheSameRequestArrivesTwice() {
        Patient patient = Patient.fresh();
        EmailRequested request = new EmailRequested(UUID.randomUUID(), UUID.randomUUID(), patient.id(), patient.email(),
                EmailTemplate.APPOINTMENT_REMINDER, "en-GB", Map.of(EmailTemplate.PATIENT_NAME, patient.name(),
                EmailTemplate.START, "2027-03-01T09:00:00Z", EmailTemplate.END, "2027-03-01T09:30:00Z",
                EmailTemplate.ZONE, "Europe/London", EmailTemplate.FACILITY_NAME, "Riverside",
                EmailTemplate.FACILITY_ADDRESS, "1 River Road"), List.of());
        Patient after = Patient.fresh();
        EmailRequested later = new EmailRequested(UUID.randomUUID(), UUID.randomUUID(), after.id(), after.email(),
                request.template(), "en-GB", request.model(), List.of());

        CachingConnectionFactory connection = Broker.connection(RABBIT_PORT);
        try {
            RabbitTemplate rabbit = new RabbitTemplate(connection);
            publish(rabbit, request);
            publish(rabbit, request);
            publish(rabbit, later);
        } finally {
            connection.destroy();
        }

        // One consumer takes them in order: once the later request's email is there, both copies were handled.
        await().atMost(PATIENCE).until(() -> Journeys.mailbox(notifications, after.email()).size() == 1);
        assertThat(Journeys.mailbox(notifications, patient.email())).hasSize(1);
    }

    @Test
    void shouldSendTheConfirmationOnceWhenNotificationServiceWasDownAndIsKilledAgainAfterwards() {
        notifications.kill();
        Patient patient = Patient.fresh();
        UUID appointment = Journeys.book(appointments, patient, "Check-up");
        notifications.start();

        await().atMost(PATIENCE).until(() -> !Journeys.appointment(appointments, appointment).path("emailDeliveredAt").isNull());
        notifications.kill();
        notifications.start();
        assertThat(Journeys.mailbox(notifications, patient.email())).hasSize(1);
        assertThat(Journeys.historyTypes(appointments, appointment)).containsExactly("AppointmentBooked", "ConfirmationDelivered");
    }

    @Test
    void shouldStillSendOnceAndRecordTheDeliveryWhenAppointmentServiceIsKilledRightAfterBooking() {
        Patient patient = Patient.fresh();
        UUID appointment = Journeys.book(appointments, patient, "Check-up");
        appointments.kill();
        appointments.start();

        await().atMost(PATIENCE).until(() -> !Journeys.appointment(appointments, appointment).path("emailDeliveredAt").isNull());
        assertThat(Journeys.mailbox(notifications, patient.email())).hasSize(1);
        assertThat(Journeys.historyTypes(appointments, appointment)).containsExactly("AppointmentBooked", "ConfirmationDelivered");
    }

    @Test
    void shouldLeaveAnErasedPatientsClearTextInNoTableMessageOrCacheOfAnyService() {
        String marker = "zq" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        Patient patient = Patient.fresh(marker);
        UUID appointment = Journeys.book(appointments, patient, "Reason " + marker);
        await().atMost(PATIENCE).until(() -> !Journeys.appointment(appointments, appointment).path("emailDeliveredAt").isNull());
        Journeys.facilityDay(appointments, Journeys.appointment(appointments, appointment).path("start").asText());
        UUID transaction = Journeys.payFor(payments, patient);
        await().atMost(PATIENCE).until(() -> Journeys.mailbox(notifications, patient.email()).size() == 3);
        assertThat(Journeys.mailbox(notifications, patient.email())).extracting(email -> email.path("text").asText())
                .allSatisfy(text -> assertThat(text).contains(patient.name()));

        assertThat(Leftovers.inDatabase(Stack.databaseUrl(Stack.NOTIFICATION), "nhsv2_notification", marker))
                .as("the search finds what is there: the mailbox holds the emails in clear until the erasure")
                .contains("nhsv2_system_notification.mailbox");

        Journeys.erase(appointments, patient);

        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(Journeys.mailbox(notifications, patient.email())).isEmpty();
            assertThat(Journeys.transaction(payments, transaction).path("patientName").asText()).isEqualTo("[erased]");
        });
        assertThat(Journeys.appointment(appointments, appointment).path("patientName").asText()).isEqualTo("[erased]");
        List<String> leftovers = new java.util.ArrayList<>();
        for (String service : List.of(Stack.APPOINTMENT, Stack.PAYMENT, Stack.NOTIFICATION)) {
            leftovers.addAll(Leftovers.inDatabase(Stack.databaseUrl(service), service.replace("-service", "")
                    .transform(name -> "nhsv2_" + name), marker));
        }
        leftovers.addAll(Leftovers.inRedis(STACK.cachePrefix(), marker));
        leftovers.addAll(Leftovers.inQueues(RABBIT_PORT, marker));
        System.out.printf("erasure: looked for the patient's name, email and reason in 3 databases, Redis and %s; found: %s%n",
                "every queue", leftovers);
        assertThat(leftovers).as("where the erased patient's clear text is left").isEmpty();
    }

    private static void publish(RabbitTemplate rabbit, EmailRequested request) {
        MessageProperties properties = new MessageProperties();
        properties.setType(Contract.EMAIL_REQUESTED.type());
        properties.setHeader(Contract.VERSION_HEADER, Contract.EMAIL_REQUESTED.version());
        properties.setMessageId(Contract.EMAIL_REQUESTED.messageId(request));
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setAppId("system-tests");
        try {
            rabbit.send("nhsv2.integration", Contract.EMAIL_REQUESTED.routingKey(),
                    new Message(ContractJson.mapper().writeValueAsBytes(request), properties));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
