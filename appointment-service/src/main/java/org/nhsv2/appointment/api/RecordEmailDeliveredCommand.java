package org.nhsv2.appointment.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.UUID;

/** notification-service says the email of {@code requestId} about this appointment went out. */
public record RecordEmailDeliveredCommand(@TargetAggregateIdentifier UUID appointmentId, UUID requestId,
                                          String providerMessageId, Instant deliveredAt) {
}
