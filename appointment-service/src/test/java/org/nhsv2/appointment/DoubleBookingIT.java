package org.nhsv2.appointment;

import org.junit.jupiter.api.Test;
import org.nhsv2.platform.eventstore.TransactionConflictRetry;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.DemoUsers;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.nhsv2.platform.testing.DemoUsers.ALICE;
import static org.nhsv2.platform.testing.DemoUsers.ALICE_ID;
import static org.nhsv2.platform.testing.DemoUsers.CAROL_ID;
import static org.nhsv2.platform.testing.DemoUsers.RIVERSIDE;

/** No doctor and no patient is ever booked twice at once, whatever the concurrency. */
class DoubleBookingIT extends IntegrationTest {

    private static final int PARALLEL = 50;

    @Test
    void shouldAcceptExactlyOneOfFiftyParallelOverlappingBookingsForOneDoctor() throws Exception {
        Api alice = as(ALICE);
        Instant window = freeSlot();
        CountDownLatch ready = new CountDownLatch(PARALLEL);
        CountDownLatch go = new CountDownLatch(1);
        List<Callable<Api.Response>> bookings = new ArrayList<>();
        for (int i = 0; i < PARALLEL; i++) {
            // Different patients and starts that all overlap (0..49 minutes into a 60-minute slot).
            Map<String, Object> body = booking(RIVERSIDE, UUID.randomUUID(), window.plus(Duration.ofMinutes(i)));
            body.put("durationMinutes", 60);
            bookings.add(() -> {
                ready.countDown();
                go.await();
                return alice.post("/api/appointments", body);
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        List<Integer> statuses = new ArrayList<>();
        List<String> codes = new ArrayList<>();
        try {
            List<Future<Api.Response>> responses = bookings.stream().map(pool::submit).toList();
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            for (Future<Api.Response> response : responses) {
                Api.Response r = response.get(60, TimeUnit.SECONDS);
                statuses.add(r.status());
                if (r.status() == 409) {
                    codes.add(r.text("code"));
                }
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(statuses).filteredOn(status -> status == 201).hasSize(1);
        assertThat(statuses).filteredOn(status -> status == 409).hasSize(PARALLEL - 1);
        assertThat(codes).containsOnly("doctor-unavailable");
        Instant windowEnd = window.plus(Duration.ofMinutes(PARALLEL + 60));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select count(*) from appointment_view where doctor_id = ? and start_at >= ? and start_at < ?",
                Integer.class, ALICE_ID, Timestamp.from(window), Timestamp.from(windowEnd))).isEqualTo(1));
        assertThat(jdbc.queryForObject("select count(*) from slot_claim where doctor_id = ? and period && tstzrange(?, ?)",
                Integer.class, ALICE_ID, Timestamp.from(window), Timestamp.from(windowEnd))).isEqualTo(1);
    }

    /**
     * Sixteen clients on one doctor's hours, each trying every hour at its own minute, so that all sixteen
     * attempts on an hour overlap (the benchmark's contention run). Overlapping claims wait for each other's
     * commit at the doctor's day lock and are refused at once; without the lock their exclusion checks could
     * wait for each other, and PostgreSQL broke each such deadlock after a second, the loser dispatched again.
     */
    @Test
    void shouldDecideSustainedOverlappingBookingsWithoutDeadlocks() throws Exception {
        int clients = 16;
        int hours = 24;
        Instant first = freeSlot();
        for (int window = 1; window < hours / 4; window++) {
            freeSlot(); // the windows that follow: 24 hours of Alice's own
        }
        Api alice = as(ALICE);
        TransactionConflictRetry retries = context.getBean(TransactionConflictRetry.class);
        long retriedBefore = retries.retried();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<List<Integer>>> workers = new ArrayList<>();
        try {
            for (int client = 0; client < clients; client++) {
                int minute = client;
                workers.add(pool.submit(() -> {
                    go.await();
                    List<Integer> statuses = new ArrayList<>();
                    for (int hour = 0; hour < hours; hour++) {
                        Map<String, Object> body = booking(RIVERSIDE, UUID.randomUUID(),
                                first.plus(Duration.ofHours(hour)).plus(Duration.ofMinutes(minute)));
                        statuses.add(alice.post("/api/appointments", body).status());
                    }
                    return statuses;
                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<List<Integer>> worker : workers) {
                statuses.addAll(worker.get(120, TimeUnit.SECONDS));
            }

            assertThat(statuses).filteredOn(status -> status == 201).hasSize(hours);
            assertThat(statuses).filteredOn(status -> status == 409).hasSize(hours * (clients - 1));
            assertThat(retries.retried() - retriedBefore).as("commands dispatched again as deadlock losers").isZero();
        } finally {
            pool.shutdownNow();
        }
        assertThat(jdbc.queryForObject("select count(*) from slot_claim where doctor_id = ? and period && tstzrange(?, ?)",
                Integer.class, ALICE_ID, Timestamp.from(first), Timestamp.from(first.plus(Duration.ofHours(hours)))))
                .isEqualTo(hours);
    }

    @Test
    void shouldCancelOnceWhenTenCancellationsOfOneAppointmentRace() throws Exception {
        Api alice = as(ALICE);
        Instant start = freeSlot();
        String id = alice.post("/api/appointments", booking(RIVERSIDE, UUID.randomUUID(), start)).text("appointmentId");
        List<Callable<Api.Response>> cancellations = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            cancellations.add(() -> alice.post("/api/appointments/" + id + "/cancel", Map.of("reason", "race")));
        }
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Integer> statuses = new ArrayList<>();
        try {
            for (Future<Api.Response> response : pool.invokeAll(cancellations)) {
                statuses.add(response.get(60, TimeUnit.SECONDS).status());
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(statuses).filteredOn(status -> status == 200).hasSize(1);
        assertThat(statuses).filteredOn(status -> status == 409).hasSize(9);
        assertThat(jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier = ?",
                Integer.class, id)).isEqualTo(2);
        assertThat(jdbc.queryForObject("select count(*) from slot_claim where appointment_id = ?::uuid",
                Integer.class, id)).isZero();
        // The freed time can be booked again.
        assertThat(alice.post("/api/appointments", booking(RIVERSIDE, UUID.randomUUID(), start)).status()).isEqualTo(201);
    }

    @Test
    void shouldRefuseAPatientTwoOverlappingAppointmentsWithDifferentDoctors() {
        Api alice = as(ALICE);
        UUID patient = UUID.randomUUID();
        Instant start = freeSlot();
        assertThat(alice.post("/api/appointments", booking(RIVERSIDE, patient, start)).status()).isEqualTo(201);

        Map<String, Object> withCarol = booking(RIVERSIDE, patient, start.plus(Duration.ofMinutes(15)));
        withCarol.put("doctorId", CAROL_ID);
        Api.Response refused = alice.post("/api/appointments", withCarol);

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.text("code")).isEqualTo("patient-unavailable");
    }

    @Test
    void shouldAllowBackToBackAppointmentsBecauseSlotsAreHalfOpen() {
        Api alice = as(ALICE);
        Instant start = freeSlot();
        assertThat(alice.post("/api/appointments", booking(RIVERSIDE, UUID.randomUUID(), start)).status()).isEqualTo(201);
        assertThat(alice.post("/api/appointments", booking(RIVERSIDE, UUID.randomUUID(), start.plus(Duration.ofMinutes(30))))
                .status()).isEqualTo(201);
    }

    @Test
    void shouldMoveTheClaimOnRescheduleAndFreeItOnCancel() {
        Api alice = as(ALICE);
        Instant first = freeSlot();
        Instant second = first.plus(Duration.ofHours(2));
        String a = alice.post("/api/appointments", booking(RIVERSIDE, UUID.randomUUID(), first)).text("appointmentId");
        String b = alice.post("/api/appointments", booking(RIVERSIDE, UUID.randomUUID(), second)).text("appointmentId");

        Api.Response clash = alice.post("/api/appointments/" + b + "/reschedule",
                Map.of("start", first.plus(Duration.ofMinutes(10)).toString(), "reason", "earlier please"));
        assertThat(clash.status()).isEqualTo(409);
        assertThat(clash.text("code")).isEqualTo("doctor-unavailable");

        assertThat(alice.post("/api/appointments/" + a + "/reschedule",
                Map.of("start", first.plus(Duration.ofHours(1)).toString(), "reason", "later")).status()).isEqualTo(200);
        // The old time is free again, the new one is held.
        assertThat(alice.post("/api/appointments", booking(RIVERSIDE, UUID.randomUUID(), first)).status()).isEqualTo(201);
        assertThat(alice.post("/api/appointments", booking(RIVERSIDE, UUID.randomUUID(), first.plus(Duration.ofHours(1))))
                .status()).isEqualTo(409);

        assertThat(alice.post("/api/appointments/" + b + "/cancel", Map.of("reason", "not needed")).status()).isEqualTo(200);
        assertThat(alice.post("/api/appointments", booking(RIVERSIDE, UUID.randomUUID(), second)).status()).isEqualTo(201);
    }
}
