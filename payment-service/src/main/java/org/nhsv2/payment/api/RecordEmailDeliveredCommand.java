package org.nhsv2.payment.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.UUID;

/** notification-service delivered the email requested as {@code requestId}; recorded once. */
public record RecordEmailDeliveredCommand(@TargetAggregateIdentifier UUID transactionId, UUID requestId,
                                          String providerMessageId, Instant deliveredAt) {}
