package org.nhsv2.platform.api;

import java.util.UUID;

/**
 * A client's {@code Idempotency-Key}, scoped to the caller. The command side remembers it with a
 * keyed fingerprint of the command, so a reuse with another request can be told apart from a retry.
 */
public record IdempotencyKey(UUID callerId, String key) {
}
