package org.nhsv2.appointment.command;

import org.nhsv2.appointment.api.AppointmentError;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.StringJoiner;
import java.util.UUID;

/**
 * The doctor's and the patient's time held by each live appointment, in {@code slot_claim}. Two
 * PostgreSQL exclusion constraints reject overlapping periods of one doctor or one patient, and
 * the rows are written in the command's own transaction, so a lost race stores no event at all.
 * <p>
 * Before a period is written, the transaction takes an advisory lock on each (doctor, UTC day) and
 * (patient, UTC day) the period touches, in one order. Two overlapping claims share such a day, so the
 * second waits for the first to commit and then meets its row: a 409 at once. Without the locks, two
 * overlapping inserts could each find the other's uncommitted row while checking the constraint and wait
 * for each other; PostgreSQL breaks that deadlock only after {@code deadlock_timeout} (1 s) and the loser
 * was dispatched again ({@code TransactionConflictRetry}): under many clients on one doctor's hours a run
 * of such deadlocks held requests for seconds. Claims on other days, or of other doctors and patients,
 * do not wait for each other.
 */
@Repository
class SlotClaims {

    static final String SQL_STATE_EXCLUSION_VIOLATION = "23P01";
    static final String DOCTOR_CONSTRAINT = "slot_claim_doctor_no_overlap";
    /** The advisory locks' first keys: a doctor's day, a patient's day ("NHSD", "NHST"). */
    static final int DOCTOR_DAY_LOCK = 0x4e485344;
    static final int PATIENT_DAY_LOCK = 0x4e485354;

    private final JdbcTemplate jdbc;

    SlotClaims(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void claim(UUID appointmentId, UUID doctorId, UUID patientId, Instant start, Instant end) {
        DayLocks locks = DayLocks.of(doctorId, patientId, start, end);
        translatingOverlap(() -> jdbc.update(locks.with() + """
                insert into slot_claim (appointment_id, doctor_id, patient_id, period)
                select ?, ?, ?, tstzrange(?, ?, '[)') from day_locks""",
                locks.then(appointmentId, doctorId, patientId, Timestamp.from(start), Timestamp.from(end))));
    }

    void move(UUID appointmentId, Instant start, Instant end) {
        List<UUID[]> holders = jdbc.query("select doctor_id, patient_id from slot_claim where appointment_id = ?",
                (rs, row) -> new UUID[]{rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)}, appointmentId);
        if (holders.isEmpty()) {
            return; // released: nothing holds time to move
        }
        DayLocks locks = DayLocks.of(holders.get(0)[0], holders.get(0)[1], start, end);
        translatingOverlap(() -> jdbc.update(locks.with()
                        + "update slot_claim set period = tstzrange(?, ?, '[)') from day_locks where appointment_id = ?",
                locks.then(Timestamp.from(start), Timestamp.from(end), appointmentId)));
    }

    void release(UUID appointmentId) {
        jdbc.update("delete from slot_claim where appointment_id = ?", appointmentId);
    }

    /**
     * The doctor's and the patient's locks for each UTC day of [start, end), as a {@code with day_locks as (…)} that the
     * write selects from, so they are taken before its row is written, in the same round trip. They are taken in
     * ascending order of their keys (PostgreSQL evaluates a select list in order), so that two transactions never
     * hold one each of two locks the other wants. Held until the transaction ends. Taking them inside the write is as
     * good as before it, although the statement's snapshot is taken before the wait: an insert reads nothing from it,
     * an update reads its row again once it holds it, and an exclusion constraint is checked against the rows
     * committed by then, so a claim that waited meets the winner's row.
     */
    private record DayLocks(String with, List<Object> arguments) {

        static DayLocks of(UUID doctorId, UUID patientId, Instant start, Instant end) {
            List<long[]> locks = new ArrayList<>(4);
            long lastDay = Math.max(epochDay(start), epochDay(end.minusNanos(1)));
            for (long day = epochDay(start); day <= lastDay; day++) {
                locks.add(new long[]{DOCTOR_DAY_LOCK, dayKey(doctorId, day)});
                locks.add(new long[]{PATIENT_DAY_LOCK, dayKey(patientId, day)});
            }
            locks.sort(Comparator.<long[]>comparingLong(lock -> lock[0]).thenComparingLong(lock -> lock[1]));
            StringJoiner select = new StringJoiner(", ", "with day_locks as (select ", ")\n");
            List<Object> arguments = new ArrayList<>(locks.size() * 2);
            for (long[] lock : locks) {
                select.add("pg_advisory_xact_lock(?, ?)");
                arguments.add((int) lock[0]);
                arguments.add((int) lock[1]);
            }
            return new DayLocks(select.toString(), arguments);
        }

        /** The locks' arguments followed by the write's own. */
        Object[] then(Object... writeArguments) {
            List<Object> all = new ArrayList<>(arguments);
            all.addAll(List.of(writeArguments));
            return all.toArray();
        }
    }

    private static long epochDay(Instant instant) {
        return Math.floorDiv(instant.getEpochSecond(), 86_400L);
    }

    /** A 32-bit key for one person's day; two that collide only wait for each other a moment. */
    static int dayKey(UUID person, long epochDay) {
        long mixed = person.getMostSignificantBits() * 31 + person.getLeastSignificantBits();
        mixed = mixed * 31 + epochDay;
        return (int) (mixed ^ (mixed >>> 32));
    }

    private static void translatingOverlap(Runnable write) {
        try {
            write.run();
        } catch (DataIntegrityViolationException e) {
            // Only an exclusion violation means "taken"; any other integrity error is a bug to surface.
            if (!(e.getMostSpecificCause() instanceof PSQLException psql)
                    || !SQL_STATE_EXCLUSION_VIOLATION.equals(psql.getSQLState())) {
                throw e;
            }
            ServerErrorMessage server = psql.getServerErrorMessage();
            boolean doctor = server != null && DOCTOR_CONSTRAINT.equals(server.getConstraint());
            throw new AppointmentRejectedException(doctor ? AppointmentError.DOCTOR_UNAVAILABLE : AppointmentError.PATIENT_UNAVAILABLE);
        }
    }
}
