package org.nhsv2.notification.email;

import org.nhsv2.contracts.EmailDelivered;
import org.nhsv2.contracts.EmailFailed;

import java.time.Instant;
import java.util.UUID;

/** How a request ended, as stored with it and answered to its requester. */
sealed interface Outcome {

    record Delivered(String providerMessageId, Instant deliveredAt) implements Outcome {
    }

    /** Only permanent failures end a request: a transient one is retried, never stored. */
    record Failed(String reason) implements Outcome {
    }

    /** The contract message that answers the request: {@link EmailDelivered} or {@link EmailFailed}. */
    default Object answer(UUID requestId, UUID correlationId) {
        if (this instanceof Delivered delivered) {
            return new EmailDelivered(requestId, correlationId, delivered.providerMessageId(), delivered.deliveredAt());
        }
        return new EmailFailed(requestId, correlationId, ((Failed) this).reason(), true);
    }
}
