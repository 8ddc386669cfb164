package org.nhsv2.system;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nhsv2.system.Journeys.Patient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * RabbitMQ down while patients are booked: the bookings succeed, their confirmations wait in the
 * saga's retries, and once the broker is back every patient gets exactly one email and every
 * appointment its delivery. The broker is the test's own, on a free port: the machine's stays up.
 */
class BrokerOutageIT {

    private static final int BOOKINGS = 20;

    private static Broker broker;
    private static Map<String, ServiceProcess> services;

    @BeforeAll
    static void startThePlatformOnItsOwnBroker() {
        broker = Broker.startOwn();
        services = new Stack(broker.port).startAll(List.of(Stack.APPOINTMENT, Stack.NOTIFICATION));
    }

    @AfterAll
    static void stopEverything() {
        if (services != null) {
            services.values().forEach(ServiceProcess::close);
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldSendEachConfirmationOnceWhenTheBrokerComesBack() {
        ServiceProcess appointments = services.get(Stack.APPOINTMENT);
        ServiceProcess notifications = services.get(Stack.NOTIFICATION);
        broker.stop();

        List<Patient> patients = IntStream.range(0, BOOKINGS).mapToObj(i -> Patient.fresh()).toList();
        List<UUID> booked = new ArrayList<>();
        patients.forEach(patient -> booked.add(Journeys.book(appointments, patient, "Check-up")));
        broker.start();

        // The saga's processor backs off while the broker is gone (up to a minute between tries).
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2)).until(() -> booked.stream()
                .allMatch(id -> !Journeys.appointment(appointments, id).path("emailDeliveredAt").isNull()));
        for (int i = 0; i < BOOKINGS; i++) {
            assertThat(Journeys.mailbox(notifications, patients.get(i).email())).as("emails to patient %d", i).hasSize(1);
            assertThat(Journeys.historyTypes(appointments, booked.get(i))).containsExactly("AppointmentBooked",
                    "ConfirmationDelivered");
        }
        System.out.printf("broker outage: %d bookings while RabbitMQ was down, %d emails after, %d duplicates, %d lost%n",
                BOOKINGS, BOOKINGS, 0, 0);
    }
}
