package org.nhsv2.appointment.api;

import java.time.LocalDate;
import java.util.UUID;

/**
 * A facility's appointments starting on the facility's local days {@code from}..{@code to}
 * (inclusive), optionally for one doctor or status, sorted by start.
 */
public record FindFacilityAppointmentsQuery(
        UUID facilityId, LocalDate from, LocalDate to, UUID doctorId, AppointmentStatus status, int page, int size) {
}
