package org.nhsv2.notification.email;

import org.nhsv2.contracts.EmailDelivered;
import org.nhsv2.contracts.EmailFailed;
import org.nhsv2.contracts.EmailSuperseded;

import java.time.Instant;
import java.util.UUID;

/** How a request ended, as stored with it and answered to its requester. */
sealed interface Outcome {

    record Delivered(String providerMessageId, Instant deliveredAt) implements Outcome {
    }

    /** Only permanent failures end a request: a transient one is retried, never stored. */
    record Failed(String reason) implements Outcome {
    }

    /** Not sent: {@code by}, an email about the same thing with a higher revision, went out first. */
    record Superseded(UUID by) implements Outcome {
    }

    /** The contract message that answers the request: {@link EmailDelivered}, {@link EmailFailed} or {@link EmailSuperseded}. */
    default Object answer(UUID requestId, UUID correlationId) {
        if (this instanceof Delivered delivered) {
            return new EmailDelivered(requestId, correlationId, delivered.providerMessageId(), delivered.deliveredAt());
        }
        if (this instanceof Superseded superseded) {
            return new EmailSuperseded(requestId, correlationId, superseded.by());
        }
        return new EmailFailed(requestId, correlationId, ((Failed) this).reason(), true);
    }
}
