package org.nhsv2.appointment.api;

import java.time.Instant;
import java.util.UUID;

/** The doctor's appointments starting from {@code from}, by start, at most {@code limit}. */
public record FindDoctorCalendarQuery(UUID doctorId, Instant from, int limit) {
}
