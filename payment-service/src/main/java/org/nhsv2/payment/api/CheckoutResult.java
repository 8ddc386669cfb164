package org.nhsv2.payment.api;

import java.time.Instant;
import java.util.UUID;

/** What opening a checkout gave: the link to pay on, or why it failed. */
public record CheckoutResult(UUID transactionId, boolean opened, String checkoutUrl, Instant expiresAt, String failureReason) {}
