package org.nhsv2.appointment.command;

import org.nhsv2.appointment.api.AppointmentError;
import org.nhsv2.appointment.api.AppointmentRejection;
import org.nhsv2.appointment.api.IdempotencyKey;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.util.UUID;

/**
 * Remembers each {@code Idempotency-Key} with the appointment it created, in the booking's own
 * transaction: a retry racing the original waits on the key's unique index and then sees it, and a
 * booking that fails leaves no key behind.
 */
@Repository
class BookingRequests {

    private final JdbcTemplate jdbc;

    BookingRequests(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Throws {@link AppointmentError#DUPLICATE_REQUEST} or {@link AppointmentError#IDEMPOTENCY_KEY_REUSED} if seen before. */
    void remember(IdempotencyKey key, UUID appointmentId) {
        int inserted = jdbc.update("""
                insert into booking_request (caller_id, idempotency_key, request_fingerprint, appointment_id)
                values (?, ?, ?, ?) on conflict do nothing""",
                key.callerId(), key.key(), key.requestFingerprint(), appointmentId);
        if (inserted == 1) {
            return;
        }
        var earlier = jdbc.queryForMap(
                "select request_fingerprint, appointment_id from booking_request where caller_id = ? and idempotency_key = ?",
                key.callerId(), key.key());
        if (!key.requestFingerprint().equals(earlier.get("request_fingerprint"))) {
            throw new AppointmentRejectedException(AppointmentError.IDEMPOTENCY_KEY_REUSED);
        }
        throw new AppointmentRejectedException(new AppointmentRejection(AppointmentError.DUPLICATE_REQUEST,
                AppointmentError.DUPLICATE_REQUEST.title(), (UUID) earlier.get("appointment_id")));
    }
}
