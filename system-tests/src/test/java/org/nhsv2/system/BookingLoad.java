package org.nhsv2.system;

import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.DemoUsers;
import org.nhsv2.system.Journeys.Patient;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Doctors' clients booking steadily, one fresh patient and slot per booking, as a careful client does:
 * a booking answered 503 or not answered at all is sent again with the same {@code Idempotency-Key} until
 * it succeeds, so it is made once however often it is sent. Counts every answer and keeps every one
 * that is neither a success nor a proper 503 problem.
 */
final class BookingLoad implements AutoCloseable {

    /** A booking that was answered 2xx: the patient and the appointment the answer named. */
    record Booking(Patient patient, UUID appointmentId) {
    }

    private static final Duration RETRY_PAUSE = Duration.ofMillis(250);
    private static final Duration BOOKING_PATIENCE = Duration.ofMinutes(3);

    private final ServiceProcess appointments;
    private final ExecutorService clients;
    private volatile boolean stopping;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger succeeded = new AtomicInteger();
    private final AtomicInteger unavailable = new AtomicInteger();
    private final AtomicInteger serverErrors = new AtomicInteger();
    private final AtomicInteger unanswered = new AtomicInteger();
    private final List<Booking> booked = new CopyOnWriteArrayList<>();
    private final List<String> badAnswers = new CopyOnWriteArrayList<>();

    private BookingLoad(ServiceProcess appointments, int clients) {
        this.appointments = appointments;
        this.clients = Executors.newFixedThreadPool(clients);
        for (int i = 0; i < clients; i++) {
            this.clients.execute(this::bookUntilStopped);
        }
    }

    static BookingLoad start(ServiceProcess appointments, int clients) {
        return new BookingLoad(appointments, clients);
    }

    int sent() {
        return sent.get();
    }

    int succeeded() {
        return succeeded.get();
    }

    int unavailable() {
        return unavailable.get();
    }

    int serverErrors() {
        return serverErrors.get();
    }

    int unanswered() {
        return unanswered.get();
    }

    List<Booking> booked() {
        return List.copyOf(booked);
    }

    /** Status and body of each answer that was neither 2xx nor a 503 dependency-unavailable problem. */
    List<String> badAnswers() {
        return List.copyOf(badAnswers);
    }

    /** Each client finishes the booking it is making (its retries included), then stops. */
    void stop() {
        stopping = true;
        clients.shutdown();
        try {
            if (!clients.awaitTermination(BOOKING_PATIENCE.toSeconds() + 30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("booking clients still busy after " + BOOKING_PATIENCE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopping = true;
        clients.shutdownNow();
    }

    private void bookUntilStopped() {
        while (!stopping) {
            bookOnce(Patient.fresh(), Journeys.nextSlot(), UUID.randomUUID().toString());
        }
    }

    private void bookOnce(Patient patient, Instant start, String idempotencyKey) {
        Instant giveUp = Instant.now().plus(BOOKING_PATIENCE);
        while (Instant.now().isBefore(giveUp)) {
            sent.incrementAndGet();
            Api.Response answer;
            try {
                answer = Journeys.tryBooking(appointments, patient, DemoUsers.ALICE_ID, start, idempotencyKey);
            } catch (UncheckedIOException e) {
                unanswered.incrementAndGet();
                badAnswers.add("no answer: " + e.getCause());
                LockSupport.parkNanos(RETRY_PAUSE.toNanos());
                continue;
            }
            if (answer.status() == 201 || answer.status() == 202) {
                succeeded.incrementAndGet();
                booked.add(new Booking(patient, Journeys.bookedId(answer)));
                return;
            }
            if (answer.status() != 503) {
                if (answer.status() >= 500) {
                    serverErrors.incrementAndGet();
                }
                badAnswers.add(answer.status() + " " + answer.body());
                return; // a booking in an unknown state: not counted as made
            }
            unavailable.incrementAndGet();
            if (!isDependencyUnavailable(answer)) {
                badAnswers.add("503 " + answer.headers() + " " + answer.body());
            }
            LockSupport.parkNanos(RETRY_PAUSE.toNanos()); // a client's pause before trying again, not a wait for state
        }
        badAnswers.add("a booking was not made within " + BOOKING_PATIENCE);
    }

    /** A clear 503: a problem document of type dependency-unavailable with Retry-After, and no stack trace. */
    private static boolean isDependencyUnavailable(Api.Response answer) {
        String body = answer.body().toString();
        return answer.header("Content-Type").orElse("").startsWith("application/problem+json")
                && answer.text("type").endsWith("/dependency-unavailable")
                && answer.header("Retry-After").isPresent()
                && !body.contains("Exception") && !body.contains("\tat ");
    }
}
