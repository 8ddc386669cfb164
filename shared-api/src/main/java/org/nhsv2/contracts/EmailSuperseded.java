package org.nhsv2.contracts;

import java.util.Objects;
import java.util.UUID;

/**
 * The email of {@code requestId} was not sent, and will not be: {@code supersededBy}, an email of the same
 * requester and correlation with a higher {@link EmailRequested#revision() revision}, went out first and says
 * what is true now. Not a failure: the patient has the newer email.
 */
public record EmailSuperseded(UUID requestId, UUID correlationId, UUID supersededBy) {

    public EmailSuperseded {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(supersededBy, "supersededBy");
    }
}
