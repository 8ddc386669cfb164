package org.nhsv2.appointment.api;

import java.util.Set;
import java.util.UUID;

/**
 * A patient's appointments sorted by start; {@code facilityIds} limits them to those facilities
 * (a doctor's view), an empty set means all (the patient's own view).
 */
public record FindPatientAppointmentsQuery(UUID patientId, Set<UUID> facilityIds, int page, int size) {
}
