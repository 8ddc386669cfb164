package org.nhsv2.payment.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/**
 * Asks Stripe for the real state when no webhook told it: an open checkout past its expiry, a refund not yet submitted,
 * a refund Stripe took as pending and no webhook settled.
 */
public record ReconcileTransactionCommand(@TargetAggregateIdentifier UUID transactionId) {}
