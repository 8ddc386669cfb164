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

    private static Map<String, ServiceProcess> services;
    private static ServiceProcess appointments;
    private static ServiceProcess notifications;

    @BeforeAll
    static void startThePlatform() {
        services = new Stack(RABBIT_PORT).startAll(List.of(Stack.APPOINTMENT, Stack.NOTIFICATION));
        appointments = services.get(Stack.APPOINTMENT);
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

        CachingConnectionFactory connection = new CachingConnectionFactory("127.0.0.1", RABBIT_PORT);
        connection.setUsername(Broker.USER);
        connection.setPassword(Broker.PASSWORD);
        connection.setVirtualHost(Broker.VHOST);
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
