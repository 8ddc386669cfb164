package org.nhsv2.appointment.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/**
 * The email of {@code requestId} about this appointment was not sent. {@code permanent}: no later
 * request can help (by notification-service's answer, or because re-requests got no answer).
 */
public record RecordEmailFailedCommand(@TargetAggregateIdentifier UUID appointmentId, UUID requestId,
                                       String reason, boolean permanent) {
}
