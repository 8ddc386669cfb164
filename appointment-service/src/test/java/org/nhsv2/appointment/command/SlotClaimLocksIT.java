package org.nhsv2.appointment.command;

import org.junit.jupiter.api.Test;
import org.nhsv2.appointment.IntegrationTest;
import org.nhsv2.platform.testing.Api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
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

/**
 * What keeps overlapping claims from deadlocking ({@link SlotClaims}): a booking waits for its doctor's and its
 * patient's day locks, a reschedule for those of the day it moves to. Each lock is held here by a transaction of the
 * test's own; the command is seen waiting for it in {@code pg_locks}, and answers once it is released.
 */
class SlotClaimLocksIT extends IntegrationTest {

    @Test
    void shouldClaimTimeOnlyUnderTheDoctorsAndThePatientsDayLocks() throws Exception {
        Api alice = as(ALICE);
        Instant start = freeSlot();
        for (int window = 1; window < 8; window++) {
            freeSlot(); // the 28 hours after it are this test's too: the reschedule moves a day on
        }

        Api.Response booked = waitingFor(SlotClaims.DOCTOR_DAY_LOCK, SlotClaims.dayKey(ALICE_ID, day(start)), holder -> { },
                () -> alice.post("/api/appointments", booking(RIVERSIDE, UUID.randomUUID(), start)));
        assertThat(booked.status()).isEqualTo(201);

        UUID patient = UUID.randomUUID();
        Instant later = start.plus(Duration.ofHours(1));
        Map<String, Object> withCarol = booking(RIVERSIDE, patient, later);
        withCarol.put("doctorId", CAROL_ID);
        assertThat(waitingFor(SlotClaims.PATIENT_DAY_LOCK, SlotClaims.dayKey(patient, day(later)), holder -> { },
                () -> alice.post("/api/appointments", withCarol)).status()).isEqualTo(201);

        Instant nextDay = start.plus(Duration.ofDays(1));
        assertThat(waitingFor(SlotClaims.DOCTOR_DAY_LOCK, SlotClaims.dayKey(ALICE_ID, day(nextDay)), holder -> { },
                () -> alice.post("/api/appointments/" + booked.text("appointmentId") + "/reschedule",
                        Map.of("start", nextDay.toString(), "reason", "a day later"))).status()).isEqualTo(200);
    }

    /**
     * The locks are taken by the statement that writes the claim, whose snapshot is older than its wait: it must
     * still meet a claim committed while it waited, and be refused, not stored beside it.
     */
    @Test
    void shouldRefuseAClaimThatWaitedForTheOneThatTookItsTime() throws Exception {
        Api alice = as(ALICE);
        Instant start = freeSlot();
        Api.Response refused = waitingFor(SlotClaims.DOCTOR_DAY_LOCK, SlotClaims.dayKey(ALICE_ID, day(start)),
                holder -> {
                    try (PreparedStatement winner = holder.prepareStatement("""
                            insert into slot_claim (appointment_id, doctor_id, patient_id, period)
                            values (?, ?, ?, tstzrange(?::timestamptz, ?::timestamptz, '[)'))""")) {
                        winner.setObject(1, UUID.randomUUID());
                        winner.setObject(2, ALICE_ID);
                        winner.setObject(3, UUID.randomUUID());
                        winner.setString(4, start.toString());
                        winner.setString(5, start.plus(Duration.ofMinutes(30)).toString());
                        winner.executeUpdate();
                    }
                },
                () -> alice.post("/api/appointments", booking(RIVERSIDE, UUID.randomUUID(), start)));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.text("code")).isEqualTo("doctor-unavailable");
        assertThat(jdbc.queryForObject("select count(*) from slot_claim where doctor_id = ? and period && tstzrange(?::timestamptz, ?::timestamptz)",
                Integer.class, ALICE_ID, start.toString(), start.plus(Duration.ofMinutes(30)).toString())).isEqualTo(1);
    }

    private static long day(Instant instant) {
        return Math.floorDiv(instant.getEpochSecond(), 86_400L);
    }

    /**
     * Sends {@code request} while a transaction of the test's own holds the lock, and has done {@code meanwhile};
     * the request's answer once that transaction committed.
     */
    private Api.Response waitingFor(int namespace, int key, Meanwhile meanwhile, Callable<Api.Response> request)
            throws Exception {
        ExecutorService sender = Executors.newSingleThreadExecutor();
        try (Connection holder = jdbc.getDataSource().getConnection()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement("select pg_advisory_xact_lock(?, ?)")) {
                lock.setInt(1, namespace);
                lock.setInt(2, key);
                lock.execute();
            }
            Future<Api.Response> answer = sender.submit(request);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(jdbc.queryForObject("""
                    select count(*) from pg_locks where locktype = 'advisory' and not granted
                    and classid::bigint = ? and objid::bigint = ? and objsubid = 2""", Integer.class,
                    Integer.toUnsignedLong(namespace), Integer.toUnsignedLong(key))).isEqualTo(1));
            assertThat(answer.isDone()).as("answered while its lock was held").isFalse();
            meanwhile.run(holder);
            holder.commit();
            return answer.get(30, TimeUnit.SECONDS);
        } finally {
            sender.shutdownNow();
        }
    }

    private interface Meanwhile {
        void run(Connection holder) throws Exception;
    }
}
