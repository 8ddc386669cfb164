package org.nhsv2.payment.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** Creates the requested refund at Stripe (idempotently: again after an unknown outcome). */
public record SubmitRefundCommand(@TargetAggregateIdentifier UUID transactionId, UUID refundId) {}
