package org.nhsv2.payment.sandbox;

import java.security.SecureRandom;

/** Stripe-shaped ids ({@code cs_sandbox_...}): unguessable, as the checkout page needs no login. */
final class SandboxIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private SandboxIds() {
    }

    static String next(String prefix) {
        StringBuilder id = new StringBuilder(prefix).append("_sandbox_");
        for (int i = 0; i < 24; i++) {
            id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }
}
