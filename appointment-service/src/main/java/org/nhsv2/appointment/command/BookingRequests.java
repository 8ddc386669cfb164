package org.nhsv2.appointment.command;

import org.nhsv2.appointment.api.AppointmentError;
import org.nhsv2.appointment.api.AppointmentRejection;
import org.nhsv2.appointment.api.BookAppointmentCommand;
import org.nhsv2.appointment.api.IdempotencyKey;
import org.nhsv2.appointment.patientdata.IdempotencyRecords;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Remembers each {@code Idempotency-Key} with the appointment it created, in the booking's own
 * transaction: a retry racing the original waits on the key's unique index and then sees it, and a
 * booking that fails leaves no key behind. The request is remembered by an HMAC of what the command
 * asks for, keyed with a service secret: the table holds no personal data, not even hashed in a way
 * that a guess could be checked against.
 */
@Repository
class BookingRequests implements IdempotencyRecords {

    private static final String HMAC = "HmacSHA256";

    private final JdbcTemplate jdbc;
    private final SecretKeySpec fingerprintKey;

    BookingRequests(JdbcTemplate jdbc, IdempotencySettings settings) {
        this.jdbc = jdbc;
        this.fingerprintKey = new SecretKeySpec(settings.fingerprintSecret().getBytes(StandardCharsets.UTF_8), HMAC);
    }

    /** Throws {@link AppointmentError#DUPLICATE_REQUEST} or {@link AppointmentError#IDEMPOTENCY_KEY_REUSED} if seen before. */
    void remember(IdempotencyKey key, BookAppointmentCommand command) {
        String fingerprint = fingerprint(command);
        int inserted = jdbc.update("""
                insert into booking_request (caller_id, idempotency_key, request_fingerprint, appointment_id, patient_id)
                values (?, ?, ?, ?, ?) on conflict do nothing""",
                key.callerId(), key.key(), fingerprint, command.appointmentId(), command.patientId());
        if (inserted == 1) {
            return;
        }
        var earlier = jdbc.queryForMap(
                "select request_fingerprint, appointment_id from booking_request where caller_id = ? and idempotency_key = ?",
                key.callerId(), key.key());
        if (!fingerprint.equals(earlier.get("request_fingerprint"))) {
            throw new AppointmentRejectedException(AppointmentError.IDEMPOTENCY_KEY_REUSED);
        }
        throw new AppointmentRejectedException(new AppointmentRejection(AppointmentError.DUPLICATE_REQUEST,
                AppointmentError.DUPLICATE_REQUEST.title(), (UUID) earlier.get("appointment_id")));
    }

    @Override
    public int deleteFor(UUID patientId) {
        return jdbc.update("delete from booking_request where patient_id = ?", patientId);
    }

    /**
     * Everything the booking asks for but its service-chosen id; each value length-prefixed (a missing
     * one is "-"), so no two different requests share an input.
     */
    String fingerprint(BookAppointmentCommand command) {
        StringBuilder canonical = new StringBuilder();
        Stream.of(command.facilityId(), command.doctorId(), command.patientId(), command.patientName(),
                        command.patientEmail(), command.start(), command.durationMinutes(), command.reason())
                .map(value -> value == null ? "-" : value.toString().length() + ":" + value)
                .forEach(value -> canonical.append(value).append(';'));
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(fingerprintKey);
            return HexFormat.of().formatHex(mac.doFinal(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot fingerprint a booking request", e);
        }
    }
}
