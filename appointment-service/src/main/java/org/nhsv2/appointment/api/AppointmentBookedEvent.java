package org.nhsv2.appointment.api;

import org.axonframework.serialization.Revision;
import org.nhsv2.platform.api.EncryptedText;

import java.time.Instant;
import java.util.UUID;

/** Personal data and the clinical reason are sealed with the patient's key; {@code reason} may be null. */
@Revision("1")
public record AppointmentBookedEvent(
        UUID appointmentId,
        UUID facilityId,
        UUID doctorId,
        UUID patientId,
        EncryptedText patientName,
        EncryptedText patientEmail,
        Instant start,
        int durationMinutes,
        EncryptedText reason) {
}
