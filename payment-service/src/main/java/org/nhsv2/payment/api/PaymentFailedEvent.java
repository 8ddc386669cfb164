package org.nhsv2.payment.api;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/** The payment failed for good (an asynchronous payment that did not go through). */
@Revision("1")
public record PaymentFailedEvent(UUID transactionId, String stripeEventId, String reason) {}
