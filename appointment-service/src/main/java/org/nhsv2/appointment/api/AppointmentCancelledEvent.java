package org.nhsv2.appointment.api;

import org.axonframework.serialization.Revision;

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
