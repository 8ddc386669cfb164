package org.nhsv2.payment.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** Creates the transaction's Stripe Checkout Session, or returns the one it has; answers a {@link CheckoutResult}. */
public record OpenCheckoutCommand(@TargetAggregateIdentifier UUID transactionId) {}
