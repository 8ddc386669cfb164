package org.nhsv2.contracts;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** The email of {@code requestId} was accepted by the provider (or kept in the local mailbox). */
public record EmailDelivered(UUID requestId, UUID correlationId, String providerMessageId, Instant deliveredAt) {

    public EmailDelivered {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(deliveredAt, "deliveredAt");
    }
}
