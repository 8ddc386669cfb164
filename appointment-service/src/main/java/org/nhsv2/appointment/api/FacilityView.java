package org.nhsv2.appointment.api;

import java.util.UUID;

public record FacilityView(UUID id, String name, String timeZone, String address) {
}
