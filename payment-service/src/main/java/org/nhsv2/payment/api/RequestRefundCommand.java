package org.nhsv2.payment.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** Asks to give back part or all of a paid transaction; the caller chooses the refund id. */
public record RequestRefundCommand(@TargetAggregateIdentifier UUID transactionId, UUID refundId, long amount, String reason) {

    /** The reason is free text: it stays out of logs. */
    @Override
    public String toString() {
        return "RequestRefundCommand[transactionId=" + transactionId + ", refundId=" + refundId + ", amount=" + amount
                + ", reason redacted]";
    }
}
