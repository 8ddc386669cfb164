package org.nhsv2.appointment.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.UUID;

/** Moves an appointment; a {@code null} start or duration keeps the current one. */
public record RescheduleAppointmentCommand(
        @TargetAggregateIdentifier UUID appointmentId,
        Instant start,
        Integer durationMinutes,
        String reason) {

    /** The reason is clinical free text: it stays out of logs. */
    @Override
    public String toString() {
        return "RescheduleAppointmentCommand[appointmentId=" + appointmentId + ", start=" + start
                + ", durationMinutes=" + durationMinutes + ", reason redacted]";
    }
}
