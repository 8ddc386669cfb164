package org.nhsv2.appointment.api;

public record FindFacilitiesQuery() {
}
