package org.nhsv2.payment.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/**
 * notification-service could not send the email requested as {@code requestId}; {@code permanent} when
 * sending it again cannot help. Recorded once, and never after the email was delivered.
 */
public record RecordEmailFailedCommand(@TargetAggregateIdentifier UUID transactionId, UUID requestId, String reason,
                                       boolean permanent) {

    /** A provider's reason may name the recipient: it stays out of logs. */
    @Override
    public String toString() {
        return "RecordEmailFailedCommand[transactionId=" + transactionId + ", requestId=" + requestId + ", permanent="
                + permanent + ", reason redacted]";
    }
}
