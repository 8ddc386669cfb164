package org.nhsv2.appointment.api;

import java.time.Instant;
import java.util.UUID;

/**
 * One appointment in a doctor's calendar: no patient name or reason, since calendars are shared and
 * synchronised to places the service does not control. {@code version} rises with every change.
 */
public record CalendarEntry(UUID appointmentId, Instant start, Instant end, AppointmentStatus status,
                            String facilityName, String facilityAddress, long version) {
}
