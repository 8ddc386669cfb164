package org.nhsv2.appointment.command;

import org.nhsv2.appointment.api.AppointmentError;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

/**
 * The doctor's and the patient's time held by each live appointment, in {@code slot_claim}. Two
 * PostgreSQL exclusion constraints reject overlapping periods of one doctor or one patient, and
 * the rows are written in the command's own transaction, so a lost race stores no event at all.
 */
@Repository
class SlotClaims {

    static final String SQL_STATE_EXCLUSION_VIOLATION = "23P01";
    static final String DOCTOR_CONSTRAINT = "slot_claim_doctor_no_overlap";

    private final JdbcTemplate jdbc;

    SlotClaims(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void claim(UUID appointmentId, UUID doctorId, UUID patientId, Instant start, Instant end) {
        translatingOverlap(() -> jdbc.update("""
                insert into slot_claim (appointment_id, doctor_id, patient_id, period)
                values (?, ?, ?, tstzrange(?, ?, '[)'))""",
                appointmentId, doctorId, patientId, Timestamp.from(start), Timestamp.from(end)));
    }

    void move(UUID appointmentId, Instant start, Instant end) {
        translatingOverlap(() -> jdbc.update("update slot_claim set period = tstzrange(?, ?, '[)') where appointment_id = ?",
                Timestamp.from(start), Timestamp.from(end), appointmentId));
    }

    void release(UUID appointmentId) {
        jdbc.update("delete from slot_claim where appointment_id = ?", appointmentId);
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
