package org.nhsv2.appointment.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

public record MarkAppointmentNoShowCommand(@TargetAggregateIdentifier UUID appointmentId) {
}
