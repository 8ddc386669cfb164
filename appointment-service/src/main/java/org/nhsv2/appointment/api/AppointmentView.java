package org.nhsv2.appointment.api;

import java.time.Instant;
import java.util.UUID;

/**
 * An appointment as readers see it. Personal fields read {@link #ERASED} once the patient's data
 * has been erased. {@code emailDeliveredAt} is when the latest email about it went out, and
 * {@code emailFailure} why the latest one did not (null once one is delivered).
 */
public record AppointmentView(
        UUID appointmentId,
        UUID facilityId,
        UUID doctorId,
        UUID patientId,
        String patientName,
        String patientEmail,
        Instant start,
        Instant end,
        int durationMinutes,
        String reason,
        AppointmentStatus status,
        String cancellationReason,
        Instant emailDeliveredAt,
        String emailFailure,
        long version) {

    public static final String ERASED = "[erased]";

    /** Personal data stays out of logs. */
    @Override
    public String toString() {
        return "AppointmentView[appointmentId=" + appointmentId + ", facilityId=" + facilityId + ", doctorId=" + doctorId
                + ", patientId=" + patientId + ", start=" + start + ", status=" + status + ", version=" + version
                + ", personal data redacted]";
    }
}
