package org.nhsv2.appointment.command;

import org.nhsv2.appointment.api.AppointmentError;
import org.nhsv2.appointment.api.AppointmentRejection;
import org.nhsv2.appointment.api.BookAppointmentCommand;
import org.nhsv2.platform.idempotency.IdempotencyKeys;
import org.nhsv2.platform.idempotency.RememberedRequests;
import org.nhsv2.platform.idempotency.RequestFingerprints;
import org.springframework.stereotype.Component;

/**
 * A booking's {@code Idempotency-Key}, remembered in the booking's own transaction with a keyed
 * fingerprint of everything the booking asks for (its service-chosen id aside); seen before, it is
 * rejected with {@link AppointmentError#DUPLICATE_REQUEST} or {@link AppointmentError#IDEMPOTENCY_KEY_REUSED}.
 */
@Component
class BookingRequests extends RememberedRequests<BookAppointmentCommand> {

    BookingRequests(IdempotencyKeys keys, RequestFingerprints fingerprints) {
        super(keys, fingerprints, BookingRequests::request,
                original -> new AppointmentRejectedException(new AppointmentRejection(AppointmentError.DUPLICATE_REQUEST,
                        AppointmentError.DUPLICATE_REQUEST.title(), original)),
                () -> new AppointmentRejectedException(AppointmentError.IDEMPOTENCY_KEY_REUSED));
    }

    private static Request request(BookAppointmentCommand command) {
        return new Request(command.appointmentId(), command.patientId(), command.facilityId(), command.doctorId(),
                command.patientId(), command.patientName(), command.patientEmail(), command.start(),
                command.durationMinutes(), command.reason());
    }
}
