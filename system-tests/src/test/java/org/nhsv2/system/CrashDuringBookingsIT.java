package org.nhsv2.system;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.DemoUsers;
import org.nhsv2.system.Journeys.Patient;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * appointment-service killed (-9) while 200 bookings are in flight, and started again on the same
 * database: every booking answered 2xx is in the event store once and in the view, a booking whose
 * answer was lost is there at most once (and its retry with the same {@code Idempotency-Key} settles
 * it), no slot is taken twice, and every booked patient gets exactly one confirmation.
 */
class CrashDuringBookingsIT {

    private static final int RABBIT_PORT = Integer.parseInt(System.getenv().getOrDefault("NHSV2_RABBITMQ_PORT", "5672"));
    private static final int BOOKINGS = 200;
    private static final int THREADS = 24;
    /** The kill comes once this many bookings were answered: mid-flight, by count rather than by time. */
    private static final int KILL_AFTER_ANSWERS = 60;
    private static final Duration PATIENCE = Duration.ofMinutes(4);

    private static Map<String, ServiceProcess> services;

    /**
     * One request to book. In each group of four (two hours) the first two overlap, so that one of them
     * must be refused; the other two have their own times.
     */
    private record Booking(int index, Patient patient, Instant start, String idempotencyKey) {
        int group() {
            return index / 4;
        }

        boolean contested() {
            return index % 4 < 2;
        }
    }

    /** What came back: a status, or nothing (status 0) when the connection broke after the request went out. */
    private record Answer(Booking booking, int status, UUID appointmentId, String code) {
        static Answer of(Booking booking, Api.Response response) {
            boolean booked = response.status() / 100 == 2;
            return new Answer(booking, response.status(), booked ? Journeys.bookedId(response) : null,
                    booked ? null : response.text("code"));
        }

        boolean lost() {
            return status == 0;
        }

        boolean booked() {
            return status / 100 == 2;
        }
    }

    @BeforeAll
    static void startThePlatform() {
        services = new Stack(RABBIT_PORT).startAll(List.of(Stack.APPOINTMENT, Stack.NOTIFICATION));
    }

    @AfterAll
    static void stopThePlatform() {
        if (services != null) {
            services.values().forEach(ServiceProcess::close);
        }
    }

    @Test
    void shouldKeepEveryAnsweredBookingOnceAndConfirmEachOnceWhenTheServiceIsKilledMidFlight() throws Exception {
        ServiceProcess appointments = services.get(Stack.APPOINTMENT);
        ServiceProcess notifications = services.get(Stack.NOTIFICATION);
        AppointmentStore store = new AppointmentStore();
        Instant first = store.freeTimeOf(DemoUsers.CAROL_ID);
        List<Booking> bookings = IntStream.range(0, BOOKINGS).mapToObj(i -> new Booking(i, Patient.fresh(),
                first.plus(Duration.ofHours(2L * (i / 4))).plus(Duration.ofMinutes(new int[] {0, 15, 60, 90}[i % 4])),
                UUID.randomUUID().toString())).toList();

        CountDownLatch answered = new CountDownLatch(KILL_AFTER_ANSWERS);
        AtomicInteger answeredCount = new AtomicInteger();
        AtomicInteger bookedCount = new AtomicInteger();
        CountDownLatch restarted = new CountDownLatch(1);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger refusedConnections = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(THREADS);
        List<CompletableFuture<Answer>> pending = bookings.stream().map(booking -> CompletableFuture.supplyAsync(() -> {
            while (true) {
                inFlight.incrementAndGet();
                try {
                    Answer answer = Answer.of(booking, Journeys.tryBooking(appointments, booking.patient(),
                            DemoUsers.CAROL_ID, booking.start(), booking.idempotencyKey()));
                    if (answer.booked()) {
                        bookedCount.incrementAndGet();
                    }
                    answeredCount.incrementAndGet();
                    answered.countDown();
                    return answer;
                } catch (UncheckedIOException e) {
                    if (!(e.getCause() instanceof ConnectException)) {
                        return new Answer(booking, 0, null, e.getCause().toString());
                    }
                    refusedConnections.incrementAndGet(); // nothing reached the service: send it once it is back
                } finally {
                    inFlight.decrementAndGet();
                }
                await().atMost(PATIENCE).until(() -> restarted.getCount() == 0);
            }
        }, clients)).toList();

        assertThat(answered.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("answers before the kill").isTrue();
        int inFlightAtKill = inFlight.get();
        int answeredBeforeKill = answeredCount.get();
        int bookedBeforeKill = bookedCount.get();
        appointments.kill();
        appointments.start();
        restarted.countDown();
        List<Answer> answers = pending.stream().map(CompletableFuture::join).toList();
        clients.shutdown();
        assertThat(bookedBeforeKill).as("bookings answered 2xx before the kill").isPositive();
        assertThat(inFlightAtKill).as("bookings in flight when the service was killed").isPositive();
        assertThat(answeredBeforeKill).as("bookings answered before the kill").isLessThan(BOOKINGS);

        assertThat(answers).as("every answer is 2xx, 409 doctor-unavailable or none at all")
                .allSatisfy(answer -> assertThat(answer.booked() || answer.lost()
                        || answer.status() == 409 && "doctor-unavailable".equals(answer.code())).as("%s", answer).isTrue());
        List<Answer> lost = answers.stream().filter(Answer::lost).toList();

        // Behind the API, before any retry: what the crash left.
        Map<UUID, List<UUID>> stored = store.bookedByPatient();
        List<UUID> booked = new ArrayList<>();
        int storedDespiteLostAnswer = 0;
        for (Answer answer : answers) {
            List<UUID> ids = stored.getOrDefault(answer.booking().patient().id(), List.of());
            if (answer.booked()) {
                assertThat(ids).as("the event store's bookings answered 2xx: %s", answer).containsExactly(answer.appointmentId());
            } else if (answer.lost()) {
                assertThat(ids).as("bookings of a lost answer: %s", answer).hasSizeLessThanOrEqualTo(1);
                storedDespiteLostAnswer += ids.size();
            } else {
                assertThat(ids).as("bookings of a refused request: %s", answer).isEmpty();
            }
            booked.addAll(ids);
        }
        for (int group = 0; group < BOOKINGS / 4; group++) {
            int g = group;
            assertThat(bookings.stream().filter(booking -> booking.group() == g && booking.contested())
                    .filter(booking -> stored.containsKey(booking.patient().id())).count())
                    .as("bookings stored of the two overlapping requests of group %d", g).isLessThanOrEqualTo(1);
        }

        // The client's side of a lost answer: the same request again, with the same Idempotency-Key.
        int replayed = 0;
        int bookedOnRetry = 0;
        int refusedOnRetry = 0;
        for (Answer answer : lost) {
            Booking booking = answer.booking();
            Api.Response retry = Journeys.tryBooking(appointments, booking.patient(), DemoUsers.CAROL_ID, booking.start(),
                    booking.idempotencyKey());
            List<UUID> ids = stored.getOrDefault(booking.patient().id(), List.of());
            if (!ids.isEmpty()) {
                assertThat(retry.status()).as("retry of a stored booking: %s", retry.body()).isIn(201, 202);
                assertThat(retry.header("Idempotent-Replayed")).contains("true");
                assertThat(Journeys.bookedId(retry)).isEqualTo(ids.get(0));
                replayed++;
            } else if (retry.status() / 100 == 2) {
                booked.add(Journeys.bookedId(retry));
                bookedOnRetry++;
            } else {
                assertThat(retry.status()).as("retry: %s", retry.body()).isEqualTo(409);
                assertThat(retry.text("code")).isEqualTo("doctor-unavailable");
                refusedOnRetry++;
            }
        }

        Map<UUID, List<UUID>> storedAfterRetries = store.bookedByPatient();
        long duplicates = bookings.stream().mapToLong(booking ->
                Math.max(0, storedAfterRetries.getOrDefault(booking.patient().id(), List.of()).size() - 1)).sum();
        assertThat(duplicates).as("bookings stored twice").isZero();
        assertThat(store.doubleBookingsInView(DemoUsers.CAROL_ID)).as("overlapping live appointments of the doctor").isZero();
        assertThat(store.claimsOf(DemoUsers.CAROL_ID, first, first.plus(Duration.ofHours(BOOKINGS / 2))))
                .as("claims on the doctor's time: the stored bookings', none left by a request that died")
                .containsExactlyInAnyOrderElementsOf(booked);

        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(2)).until(() -> store.confirmedInView(booked) == booked.size());
        int emails = 0;
        for (Booking booking : bookings) {
            boolean isBooked = !storedAfterRetries.getOrDefault(booking.patient().id(), List.of()).isEmpty();
            int received = Journeys.mailbox(notifications, booking.patient().email()).size();
            assertThat(received).as("confirmations to patient %d (booked: %s)", booking.index(), isBooked)
                    .isEqualTo(isBooked ? 1 : 0);
            emails += received;
        }
        for (UUID id : booked) {
            assertThat(Journeys.appointment(appointments, id).path("patientId").asText()).as("view of %s", id).isNotEmpty();
            assertThat(store.events(id)).extracting(AppointmentStore.Event::type)
                    .as("events of %s", id).containsExactly("AppointmentBookedEvent", "ConfirmationDeliveredEvent");
        }
        long answered2xx = answers.stream().filter(Answer::booked).count();
        long refused = answers.stream().filter(answer -> answer.status() == 409).count();
        long missing = answers.stream().filter(Answer::booked)
                .filter(answer -> !storedAfterRetries.containsKey(answer.booking().patient().id())).count();
        System.out.printf("crash mid-flight: %d bookings sent by %d clients, appointment-service killed (-9) after %d answers "
                        + "(%d × 2xx) with %d in flight; %d × 2xx, %d × 409, %d answers lost (%d of them stored), %d refused connections "
                        + "sent again after the restart; lost answers retried with their Idempotency-Key: %d replayed, "
                        + "%d booked, %d refused; stored %d, emails %d, duplicates %d, lost %d%n",
                BOOKINGS, THREADS, answeredBeforeKill, bookedBeforeKill, inFlightAtKill, answered2xx, refused, lost.size(),
                storedDespiteLostAnswer, refusedConnections.get(), replayed, bookedOnRetry, refusedOnRetry, booked.size(),
                emails, duplicates, missing);
    }
}
