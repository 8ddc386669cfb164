package org.nhsv2.appointment.query;

import org.nhsv2.appointment.api.AppointmentStatus;
import org.nhsv2.platform.api.EncryptedText;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code appointment_view} as stored and cached: personal fields still sealed. */
record AppointmentRow(
        UUID appointmentId,
        UUID facilityId,
        UUID doctorId,
        UUID patientId,
        EncryptedText patientName,
        EncryptedText patientEmail,
        Instant start,
        Instant end,
        int durationMinutes,
        EncryptedText reason,
        AppointmentStatus status,
        EncryptedText cancellationReason,
        Instant emailDeliveredAt,
        String emailFailure,
        long version) {
}
