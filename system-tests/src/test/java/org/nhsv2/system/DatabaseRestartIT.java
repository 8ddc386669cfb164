package org.nhsv2.system;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nhsv2.system.BookingLoad.Booking;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL restarted under steady booking load: while it is down, clients get a clear 503 problem
 * (or, once it is back, success), never a 500 or a stack trace; appointment-service recovers by itself;
 * and every booking that was answered 2xx is in the event store and the view exactly once. The
 * database server is the test's own, on a free port: the machine's stays up.
 */
class DatabaseRestartIT {

    private static final int CLIENTS = 4;
    /** How long the database stays down while the clients keep booking. */
    private static final Duration DOWN_FOR = Duration.ofSeconds(10);
    private static final Duration RECOVERY_DEADLINE = Duration.ofSeconds(90);
    private static final int BOOKINGS_TO_RECOVER = 10;

    private static DatabaseServer database;
    private static Broker broker;
    private static ServiceProcess appointments;

    @BeforeAll
    static void startTheServiceOnItsOwnDatabase() {
        database = DatabaseServer.startOwn(Stack.APPOINTMENT);
        broker = Broker.startOwn(); // its emails go nowhere: no other test's consumers see them
        // A request waits for a database connection 2 s, not Hikari's 30: the answers during the outage are
        // what this test is about, not requests held until the database is back.
        appointments = new Stack(broker.port).start(Stack.APPOINTMENT, Map.of(
                "spring.datasource.url", database.url(Stack.APPOINTMENT),
                "spring.datasource.hikari.connection-timeout", "2000"));
    }

    @AfterAll
    static void stopEverything() {
        if (appointments != null) {
            appointments.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void shouldAnswer503WhileTheDatabaseIsDownAndLoseNoBookingWhenItRestarts() {
        Duration downtime;
        Duration recovery;
        try (BookingLoad load = BookingLoad.start(appointments, CLIENTS)) {
            await("bookings before the restart").atMost(Duration.ofSeconds(120)).until(() -> load.succeeded() >= 20);

            int sentBefore = load.sent();
            Instant stopped = Instant.now();
            database.stop();
            // The outage is this long, whatever the clients do meanwhile; they must have kept sending.
            await("requests while the database is down").pollDelay(DOWN_FOR).atMost(DOWN_FOR.plusSeconds(60))
                    .until(() -> load.sent() > sentBefore);
            database.start();
            Instant restarted = Instant.now();
            downtime = Duration.between(stopped, restarted);

            int succeededAtRestart = load.succeeded();
            await("bookings succeeding again after the restart").atMost(RECOVERY_DEADLINE)
                    .until(() -> load.succeeded() >= succeededAtRestart + BOOKINGS_TO_RECOVER);
            recovery = Duration.between(restarted, Instant.now());
            load.stop();

            List<Booking> booked = load.booked();
            AppointmentStore store = new AppointmentStore(database.url(Stack.APPOINTMENT));
            await("the view catching up").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> booked.stream().allMatch(booking -> !store.view(booking.appointmentId()).isEmpty()));
            Map<UUID, List<UUID>> events = store.bookedByPatient();
            long inView = booked.stream().filter(booking -> !store.view(booking.appointmentId()).isEmpty()).count();
            long lost = booked.stream().filter(booking -> !events.getOrDefault(booking.patient().id(), List.of())
                    .contains(booking.appointmentId()) || store.view(booking.appointmentId()).isEmpty()).count();
            int eventCount = events.values().stream().mapToInt(List::size).sum();
            System.out.printf("database restart: %d booking requests sent by %d clients, %d answered 2xx, %d 503, "
                            + "%d 500, %d unanswered, %d improper (neither 2xx nor a 503 problem); database down %d ms, "
                            + "bookings again %d ms after its start; %d bookings, %d booked events, %d in the view, "
                            + "%d lost, %d duplicated%n",
                    load.sent(), CLIENTS, load.succeeded(), load.unavailable(), load.serverErrors(), load.unanswered(),
                    load.badAnswers().size(), downtime.toMillis(), recovery.toMillis(), booked.size(), eventCount,
                    inView, lost, Math.max(0, eventCount - booked.size()));

            assertThat(load.badAnswers()).as("answers other than 2xx or a 503 dependency-unavailable problem").isEmpty();
            assertThat(load.serverErrors()).isZero();
            assertThat(lost).as("2xx bookings missing from the event store or the view").isZero();
            assertThat(events).as("booked events, by patient").isEqualTo(booked.stream().collect(Collectors.toMap(
                    booking -> booking.patient().id(), booking -> List.of(booking.appointmentId()))));
        }
    }
}
