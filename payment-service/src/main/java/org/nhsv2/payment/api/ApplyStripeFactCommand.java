package org.nhsv2.payment.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** What a verified Stripe webhook (or reconciliation) says happened; applied once per Stripe event. */
public record ApplyStripeFactCommand(@TargetAggregateIdentifier UUID transactionId, String stripeEventId, StripeFact fact) {

    /** Metadata naming the Stripe event a webhook delivered, on the command and on every event it causes. */
    public static final String STRIPE_EVENT_ID = "stripeEventId";
}
