package org.nhsv2.appointment.api;

import org.axonframework.serialization.Revision;
import org.nhsv2.platform.api.EncryptedText;

import java.time.Instant;
import java.util.UUID;

@Revision("1")
public record AppointmentCancelledEvent(
        UUID appointmentId,
        UUID facilityId,
        UUID patientId,
        Instant start,
        EncryptedText reason) {
}
