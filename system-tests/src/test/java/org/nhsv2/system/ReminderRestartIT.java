package org.nhsv2.system;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nhsv2.system.Journeys.Patient;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The reminder is a persistent deadline: appointment-service killed (-9) after booking and started
 * again still sends it, once, when it is due.
 */
class ReminderRestartIT {

    private static final int RABBIT_PORT = Integer.parseInt(System.getenv().getOrDefault("NHSV2_RABBITMQ_PORT", "5672"));
    /** Well after both services are up and the booking is made, so the kill comes first. */
    private static final Instant REMINDER_DUE = Instant.now().plus(Duration.ofSeconds(150));
    private static final Instant START = Instant.now().plus(Duration.ofHours(3)).truncatedTo(ChronoUnit.MINUTES);

    private static ServiceProcess appointments;
    private static ServiceProcess notifications;

    @BeforeAll
    static void startThePlatform() {
        Stack stack = new Stack(RABBIT_PORT);
        notifications = stack.start(Stack.NOTIFICATION);
        appointments = stack.start(Stack.APPOINTMENT, Map.of("nhsv2.confirmation.reminder-before",
                Duration.between(REMINDER_DUE, START).toString()));
    }

    @AfterAll
    static void stopThePlatform() {
        if (appointments != null) {
            appointments.close();
        }
        if (notifications != null) {
            notifications.close();
        }
    }

    @Test
    void shouldSendTheReminderOnceWhenTheServiceWasKilledWhileItWaited() {
        Patient patient = Patient.fresh();
        UUID appointment = Journeys.book(appointments, patient, "Check-up", START);
        await().atMost(Duration.ofSeconds(60)).until(() -> !Journeys.appointment(appointments, appointment)
                .path("emailDeliveredAt").isNull());
        assertThat(Instant.now()).as("the kill must come before the reminder is due").isBefore(REMINDER_DUE);

        appointments.kill();
        appointments.start();

        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2))
                .until(() -> Journeys.mailbox(notifications, patient.email()).size() == 2);
        assertThat(Journeys.mailbox(notifications, patient.email()).get(0).path("subject").asText()).startsWith("Reminder");
        assertThat(Instant.now()).isAfterOrEqualTo(REMINDER_DUE);
        await().atMost(Duration.ofSeconds(60)).until(() -> Journeys.historyTypes(appointments, appointment).size() == 3);
        assertThat(Journeys.historyTypes(appointments, appointment))
                .containsExactly("AppointmentBooked", "ConfirmationDelivered", "ConfirmationDelivered");
    }
}
