package org.nhsv2.system;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nhsv2.system.Journeys.Patient;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * RabbitMQ down for half a minute while patients are booked and pay: the bookings and payments succeed,
 * their emails wait in the sagas' retries, and once the broker is back every patient gets each email
 * exactly once, every appointment and transaction records its deliveries, and the broker is left with no
 * message waiting, none unacknowledged and nothing dead-lettered. The broker is the test's own, on a free
 * port: the machine's stays up.
 */
class BrokerOutageIT {

    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final Duration BOOKING_EVERY = Duration.ofSeconds(1);
    private static final Duration PAYMENT_EVERY = Duration.ofSeconds(2);
    private static final String LINK_SUBJECT = "Your payment link";
    private static final String RECEIPT_SUBJECT = "Receipt for your payment";

    private static Broker broker;
    private static Map<String, ServiceProcess> services;

    private record Booked(Patient patient, UUID appointment) {
    }

    private record Paid(Patient patient, UUID transaction) {
    }

    @BeforeAll
    static void startThePlatformOnItsOwnBroker() {
        broker = Broker.startOwn();
        services = new Stack(broker.port).startAll(List.of(Stack.APPOINTMENT, Stack.PAYMENT, Stack.NOTIFICATION));
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
    void shouldSendEveryEmailOnceAndLeaveNoMessageBehindWhenTheBrokerComesBack() throws Exception {
        ServiceProcess appointments = services.get(Stack.APPOINTMENT);
        ServiceProcess payments = services.get(Stack.PAYMENT);
        ServiceProcess notifications = services.get(Stack.NOTIFICATION);
        List<Booked> bookings = new CopyOnWriteArrayList<>();
        List<Paid> paid = new CopyOnWriteArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();

        broker.stop();
        Instant down = Instant.now();
        ScheduledExecutorService clients = Executors.newScheduledThreadPool(3); // booking, paying, the window
        clients.scheduleAtFixedRate(attempt(failures, () -> {
            Patient patient = Patient.fresh();
            bookings.add(new Booked(patient, Journeys.book(appointments, patient, "Check-up")));
        }), 0, BOOKING_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        clients.scheduleWithFixedDelay(attempt(failures, () -> {
            Patient patient = Patient.fresh();
            paid.add(new Paid(patient, Journeys.payFor(payments, patient)));
        }), 0, PAYMENT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        // The outage lasts its window while requests keep arriving; then no new ones start and the broker comes
        // back while those under way finish.
        endOfWindow(clients, Duration.between(Instant.now(), down.plus(OUTAGE)));
        clients.shutdown();
        broker.start();
        Duration outage = Duration.between(down, Instant.now());
        assertThat(clients.awaitTermination(90, TimeUnit.SECONDS)).as("requests under way at the window's end finish").isTrue();
        assertThat(failures).as("bookings and payments while the broker was down").isEmpty();
        assertThat(bookings).as("bookings in the window").hasSizeGreaterThanOrEqualTo(10);
        assertThat(paid).as("payments in the window").hasSizeGreaterThanOrEqualTo(2);

        // The sagas' processors back off while the broker is gone (up to a minute between tries).
        await("every email delivered and recorded").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2))
                .until(() -> bookings.stream().allMatch(booked ->
                        !Journeys.appointment(appointments, booked.appointment()).path("emailDeliveredAt").isNull())
                        && paid.stream().allMatch(payment -> deliveredEmails(payments, payment.transaction()) == 2));
        await("every queue drained").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(broker.queues()).allSatisfy(queue -> assertThat(queue.messages()
                        + queue.unacknowledged()).as("messages waiting or unacknowledged in %s", queue.name()).isZero()));

        List<Broker.Queue> queues = broker.queues();
        int expected = bookings.size() + 2 * paid.size();
        int sent = 0;
        int duplicates = 0;
        int lost = 0;
        for (Booked booked : bookings) {
            int emails = Journeys.mailbox(notifications, booked.patient().email()).size();
            sent += emails;
            duplicates += Math.max(0, emails - 1);
            lost += Math.max(0, 1 - emails);
            assertThat(emails).as("confirmations to %s", booked.patient().email()).isEqualTo(1);
            assertThat(Journeys.historyTypes(appointments, booked.appointment()))
                    .containsExactly("AppointmentBooked", "ConfirmationDelivered");
        }
        for (Paid payment : paid) {
            List<String> subjects = Journeys.mailbox(notifications, payment.patient().email()).stream()
                    .map(email -> email.path("subject").asText()).toList();
            sent += subjects.size();
            duplicates += Math.max(0, subjects.size() - 2);
            lost += Math.max(0, 2 - subjects.size());
            assertThat(subjects).as("emails to %s", payment.patient().email()).hasSize(2)
                    .anySatisfy(subject -> assertThat(subject).startsWith(LINK_SUBJECT))
                    .anySatisfy(subject -> assertThat(subject).startsWith(RECEIPT_SUBJECT));
        }
        long unacknowledged = queues.stream().mapToLong(Broker.Queue::unacknowledged).sum();
        long deadLettered = queues.stream().filter(Broker.Queue::isDeadLetters).mapToLong(Broker.Queue::messages).sum();
        System.out.printf("broker outage: RabbitMQ down %d s (a %d s window, then its start); %d bookings and %d payments "
                        + "while it was down; emails expected %d, sent %d, %d duplicates, %d lost; after: %d queues, "
                        + "%d messages waiting, %d unacked, %d dead-lettered%n",
                outage.toSeconds(), OUTAGE.toSeconds(), bookings.size(), paid.size(), expected, sent, duplicates, lost,
                queues.size(), queues.stream().mapToLong(Broker.Queue::messages).sum(), unacknowledged, deadLettered);
        assertThat(queues).as("queues of the platform's vhost").isNotEmpty()
                .anySatisfy(queue -> assertThat(queue.isDeadLetters()).isTrue());
        assertThat(unacknowledged).isZero();
        assertThat(deadLettered).isZero();
    }

    /** The task, its failures kept: a periodic task that throws would otherwise just stop being run. */
    private static Runnable attempt(List<Throwable> failures, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | AssertionError e) {
                failures.add(e);
            }
        };
    }

    /** Returns when the window is over (a task scheduled at its end has run). */
    private static void endOfWindow(ScheduledExecutorService clients, Duration left) throws InterruptedException {
        try {
            clients.schedule(() -> { }, left.toMillis(), TimeUnit.MILLISECONDS).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long deliveredEmails(ServiceProcess payments, UUID transaction) {
        JsonNode emails = Journeys.transaction(payments, transaction).path("emails");
        return StreamSupport.stream(emails.spliterator(), false)
                .filter(email -> email.path("status").asText().equals("DELIVERED")).count();
    }
}
