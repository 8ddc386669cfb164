package org.nhsv2.appointment.api;

import org.nhsv2.platform.api.CodedRejection;

import java.util.UUID;

/**
 * Travels as the details of a {@code CommandExecutionException}, so the edge can map a rejection
 * the same way whether the command ran locally or on another node.
 *
 * @param originalAppointmentId set only for {@link AppointmentError#DUPLICATE_REQUEST}
 */
public record AppointmentRejection(AppointmentError error, String detail, UUID originalAppointmentId) implements CodedRejection {

    public static AppointmentRejection of(AppointmentError error) {
        return new AppointmentRejection(error, error.title(), null);
    }
}
