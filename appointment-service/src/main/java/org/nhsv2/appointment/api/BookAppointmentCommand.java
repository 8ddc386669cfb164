package org.nhsv2.appointment.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.nhsv2.platform.api.IdempotencyKey;

import java.time.Instant;
import java.util.UUID;

/** Books a patient with a doctor; the id is chosen by the service, the rest by the calling doctor. */
public record BookAppointmentCommand(
        @TargetAggregateIdentifier UUID appointmentId,
        UUID facilityId,
        UUID doctorId,
        UUID patientId,
        String patientName,
        String patientEmail,
        Instant start,
        int durationMinutes,
        String reason,
        IdempotencyKey idempotencyKey) {

    /** Personal data stays out of logs. */
    @Override
    public String toString() {
        return "BookAppointmentCommand[appointmentId=" + appointmentId + ", facilityId=" + facilityId
                + ", doctorId=" + doctorId + ", patientId=" + patientId + ", start=" + start
                + ", durationMinutes=" + durationMinutes + ", personal data redacted]";
    }
}
