package org.nhsv2.appointment.patientdata;

import org.junit.jupiter.api.Test;
import org.nhsv2.appointment.IntegrationTest;
import org.nhsv2.appointment.api.AppointmentView;
import org.nhsv2.platform.api.PatientPersonalDataErasedEvent;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.vault.PersonalDataVault;
import org.springframework.beans.factory.annotation.Autowired;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.nhsv2.platform.testing.DemoUsers.ADMIN;
import static org.nhsv2.platform.testing.DemoUsers.ALICE;
import static org.nhsv2.platform.testing.DemoUsers.RIVERSIDE;

/**
 * An erasure and a booking of the same patient never interleave: the booking is wholly before the
 * erasure (and what it wrote reads as erased) or wholly after it (its data readable, its event after
 * the erasure's). Never an erasure that reports success while the booking's clear data survives it.
 */
class ErasureRaceIT extends IntegrationTest {

    private static final int PAIRS = 50;

    @Autowired
    private DataSource dataSource;

    /**
     * The booking is held inside its transaction, its new key written but not committed, by a lock on the
     * event table; the erasure must wait for it, and then erase what it wrote.
     */
    @Test
    void shouldEraseWhatABookingInFlightWroteWhenTheErasureArrivesWhileItHoldsANewKey() throws Exception {
        UUID patient = UUID.randomUUID();
        Map<String, Object> body = booking(RIVERSIDE, patient, freeSlot());
        CompletableFuture<Api.Response> booked;
        CompletableFuture<Api.Response> erased;
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (Statement statement = holder.createStatement()) {
                statement.execute("lock table domain_event_entry in share mode");
            }
            booked = CompletableFuture.supplyAsync(() -> as(ALICE).post("/api/appointments", body));
            await().atMost(Duration.ofSeconds(20)).until(() -> patientLock(patient, true) && eventInsertWaiting());

            erased = CompletableFuture.supplyAsync(() -> as(ADMIN).delete("/api/patients/" + patient + "/personal-data?basis=DATA_SUBJECT_REQUEST"));
            // The erasure must queue behind the booking; today's code answered at once, erasing nothing.
            await().atMost(Duration.ofSeconds(20)).until(() -> patientLock(patient, false) || erased.isDone());
            assertThat(erased).as("erasure answered while the booking was still in flight").isNotDone();
            holder.rollback();
        }

        Api.Response booking = booked.get(30, TimeUnit.SECONDS);
        Api.Response erasure = erased.get(30, TimeUnit.SECONDS);
        assertThat(booking.status()).isIn(201, 202);
        assertThat(erasure.status()).isEqualTo(200);
        assertThat(erasure.body().path("dataKeyDestroyed").asBoolean()).isTrue();
        String appointmentId = appointmentIdOf(booking);
        assertThat(bookedIndex(appointmentId)).isLessThan(erasureIndex(patient));
        assertReadsErased(appointmentId);
    }

    @Test
    void shouldNeverLeaveDataWrittenBeforeAnErasureReadableWhenFiftyBookingsAndErasuresRace() throws Exception {
        List<UUID> patients = new ArrayList<>();
        List<Callable<Api.Response>> bookings = new ArrayList<>();
        List<Callable<Api.Response>> erasures = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        Api alice = as(ALICE);
        Api admin = as(ADMIN);
        for (int i = 0; i < PAIRS; i++) {
            UUID patient = UUID.randomUUID();
            patients.add(patient);
            Map<String, Object> body = booking(RIVERSIDE, patient, freeSlot());
            bookings.add(() -> {
                go.await();
                return alice.post("/api/appointments", body);
            });
            erasures.add(() -> {
                go.await();
                return admin.delete("/api/patients/" + patient + "/personal-data?basis=DATA_SUBJECT_REQUEST");
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(2 * PAIRS);
        List<Future<Api.Response>> booked = new ArrayList<>();
        List<Future<Api.Response>> erased = new ArrayList<>();
        try {
            for (int i = 0; i < PAIRS; i++) {
                booked.add(pool.submit(bookings.get(i)));
                erased.add(pool.submit(erasures.get(i)));
            }
            go.countDown();
            int bookingFirst = 0;
            for (int i = 0; i < PAIRS; i++) {
                Api.Response booking = booked.get(i).get(60, TimeUnit.SECONDS);
                Api.Response erasure = erased.get(i).get(60, TimeUnit.SECONDS);
                assertThat(booking.status()).isIn(201, 202);
                assertThat(erasure.status()).isEqualTo(200);
                String appointmentId = appointmentIdOf(booking);
                boolean bookedBeforeErasure = bookedIndex(appointmentId) < erasureIndex(patients.get(i));
                // What the erasure says it did is what happened: a key existed only if the booking came first.
                assertThat(erasure.body().path("dataKeyDestroyed").asBoolean()).isEqualTo(bookedBeforeErasure);
                if (bookedBeforeErasure) {
                    bookingFirst++;
                    assertReadsErased(appointmentId);
                } else {
                    assertReadsClear(appointmentId, patients.get(i));
                }
            }
            System.out.printf("%d of %d bookings came before their erasure%n", bookingFirst, PAIRS);
        } finally {
            pool.shutdownNow();
        }
    }

    private void assertReadsErased(String appointmentId) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Api.Response view = as(ALICE).get("/api/appointments/" + appointmentId);
            assertThat(view.status()).isEqualTo(200);
            assertThat(view.text("patientName")).isEqualTo(AppointmentView.ERASED);
            assertThat(view.text("patientEmail")).isEqualTo(AppointmentView.ERASED);
            assertThat(view.text("reason")).isEqualTo(AppointmentView.ERASED);
        });
        assertThat(as(ALICE).get("/api/appointments/" + appointmentId + "/history").body().toString())
                .doesNotContain("Routine check-up").contains(AppointmentView.ERASED);
    }

    private void assertReadsClear(String appointmentId, UUID patient) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Api.Response view = as(ALICE).get("/api/appointments/" + appointmentId);
            assertThat(view.status()).isEqualTo(200);
            assertThat(view.text("patientName")).isEqualTo("Patient " + patient.toString().substring(0, 8));
        });
    }

    private static String appointmentIdOf(Api.Response booking) {
        String location = booking.header("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private long bookedIndex(String appointmentId) {
        return jdbc.queryForObject("select global_index from domain_event_entry where aggregate_identifier = ? "
                + "and sequence_number = 0", Long.class, appointmentId);
    }

    private long erasureIndex(UUID patient) {
        return jdbc.queryForObject("""
                select global_index from domain_event_entry
                where payload_type like '%PatientPersonalDataErasedEvent' and convert_from(payload, 'UTF8') like ?""",
                Long.class, "%" + patient + "%");
    }

    /** Whether a transaction holds ({@code granted}) or waits for the patient's advisory lock. */
    private boolean patientLock(UUID patient, boolean granted) {
        Integer locks = jdbc.queryForObject("""
                select count(*) from pg_locks where locktype = 'advisory' and objsubid = 2
                and classid::bigint = ? and objid::bigint = ? and granted = ?""", Integer.class,
                (long) PersonalDataVault.PATIENT_LOCK_NAMESPACE, Integer.toUnsignedLong(patient.hashCode()), granted);
        return locks != null && locks > 0;
    }

    private boolean eventInsertWaiting() {
        Integer waiting = jdbc.queryForObject("""
                select count(*) from pg_stat_activity where datname = current_database()
                and wait_event_type = 'Lock' and query ilike 'insert into domain_event_entry%'""", Integer.class);
        return waiting != null && waiting > 0;
    }
}
