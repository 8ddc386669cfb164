package org.nhsv2.appointment.api;

import org.axonframework.serialization.Revision;
import org.nhsv2.platform.api.EncryptedText;

import java.time.Instant;
import java.util.UUID;

/** Carries the previous times too, so readers (history, cache eviction) need no earlier state. */
@Revision("1")
public record AppointmentRescheduledEvent(
        UUID appointmentId,
        UUID facilityId,
        UUID patientId,
        Instant previousStart,
        int previousDurationMinutes,
        Instant start,
        int durationMinutes,
        EncryptedText reason) {
}
