package org.nhsv2.payment.api;

/** The deadline at a checkout's expiry (and a little after): if no webhook told its end, Stripe is asked. */
public record CheckoutExpiryDeadline(String sessionId) {
}
