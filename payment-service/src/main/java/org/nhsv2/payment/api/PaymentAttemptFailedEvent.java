package org.nhsv2.payment.api;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/** A card was declined; the checkout stays open for another try. */
@Revision("1")
public record PaymentAttemptFailedEvent(UUID transactionId, String stripeEventId, String reason) {}
