package org.nhsv2.appointment.saga;

import org.nhsv2.platform.api.EncryptedText;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * What the saga keeps of its appointment between events: ids, times and the patient's name and
 * address still sealed with the patient's key (saga state is stored; an erasure must reach it).
 * {@code sequence} is the invitation's {@code SEQUENCE}: raised on every change.
 */
public record AppointmentFacts(UUID appointmentId, UUID facilityId, UUID doctorId, UUID patientId,
                               EncryptedText patientName, EncryptedText patientEmail, Instant start,
                               int durationMinutes, Instant previousStart, int sequence, boolean cancelled) {

    Instant end() {
        return start.plus(Duration.ofMinutes(durationMinutes));
    }

    AppointmentFacts movedTo(Instant newStart, int newDurationMinutes) {
        return new AppointmentFacts(appointmentId, facilityId, doctorId, patientId, patientName, patientEmail, newStart,
                newDurationMinutes, start, sequence + 1, false);
    }

    AppointmentFacts cancelledNow() {
        return new AppointmentFacts(appointmentId, facilityId, doctorId, patientId, patientName, patientEmail, start,
                durationMinutes, previousStart, sequence + 1, true);
    }
}
