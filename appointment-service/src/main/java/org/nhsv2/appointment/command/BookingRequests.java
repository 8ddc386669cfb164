package org.nhsv2.appointment.command;

import org.nhsv2.appointment.api.AppointmentError;
import org.nhsv2.appointment.api.AppointmentRejection;
import org.nhsv2.appointment.api.BookAppointmentCommand;
import org.nhsv2.platform.api.IdempotencyKey;
import org.nhsv2.platform.idempotency.IdempotencyKeys;
import org.nhsv2.platform.idempotency.RequestFingerprints;
import org.springframework.stereotype.Component;

/**
 * A booking's {@code Idempotency-Key}, remembered in the booking's own transaction with a keyed
 * fingerprint of everything the booking asks for (its service-chosen id aside).
 */
@Component
class BookingRequests {

    private final IdempotencyKeys keys;
    private final RequestFingerprints fingerprints;

    BookingRequests(IdempotencyKeys keys, RequestFingerprints fingerprints) {
        this.keys = keys;
        this.fingerprints = fingerprints;
    }

    /** Throws {@link AppointmentError#DUPLICATE_REQUEST} or {@link AppointmentError#IDEMPOTENCY_KEY_REUSED} if seen before. */
    void remember(IdempotencyKey key, BookAppointmentCommand command) {
        keys.requireFirst(key, fingerprint(command), command.appointmentId(), command.patientId(),
                original -> new AppointmentRejectedException(new AppointmentRejection(AppointmentError.DUPLICATE_REQUEST,
                        AppointmentError.DUPLICATE_REQUEST.title(), original)),
                () -> new AppointmentRejectedException(AppointmentError.IDEMPOTENCY_KEY_REUSED));
    }

    String fingerprint(BookAppointmentCommand command) {
        return fingerprints.of(command.facilityId(), command.doctorId(), command.patientId(), command.patientName(),
                command.patientEmail(), command.start(), command.durationMinutes(), command.reason());
    }
}
