package org.nhsv2.appointment.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/**
 * The email of {@code requestId} about this appointment was not sent, by notification-service's answer:
 * {@code supersededBy}, a newer email about it, reached the patient first.
 */
public record RecordEmailSupersededCommand(@TargetAggregateIdentifier UUID appointmentId, UUID requestId,
                                           UUID supersededBy) {
}
