package org.nhsv2.contracts;

import java.util.Objects;
import java.util.UUID;

/**
 * The email of {@code requestId} was not sent. {@code permanent}: sending it again cannot help (an
 * invalid address, a request the provider refuses); otherwise a later request may succeed.
 */
public record EmailFailed(UUID requestId, UUID correlationId, String reason, boolean permanent) {

    public EmailFailed {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(reason, "reason");
    }
}
