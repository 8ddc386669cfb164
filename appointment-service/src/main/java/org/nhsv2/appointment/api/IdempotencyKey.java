package org.nhsv2.appointment.api;

import java.util.UUID;

/**
 * A client's {@code Idempotency-Key}, scoped to the caller, with a fingerprint of the request body
 * so a reuse with another body can be told apart from a retry.
 */
public record IdempotencyKey(UUID callerId, String key, String requestFingerprint) {
}
