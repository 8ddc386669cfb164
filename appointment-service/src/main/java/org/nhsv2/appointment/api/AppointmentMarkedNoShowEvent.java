package org.nhsv2.appointment.api;

import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.UUID;

@Revision("1")
public record AppointmentMarkedNoShowEvent(UUID appointmentId, UUID facilityId, Instant start) {
}
