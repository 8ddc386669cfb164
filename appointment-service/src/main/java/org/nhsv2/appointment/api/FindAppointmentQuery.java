package org.nhsv2.appointment.api;

import java.util.UUID;

public record FindAppointmentQuery(UUID appointmentId) {
}
