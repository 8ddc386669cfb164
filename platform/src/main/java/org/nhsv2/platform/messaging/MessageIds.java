package org.nhsv2.platform.messaging;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Ids of messages published from event handlers, derived from the event that caused them, so a
 * handler that runs again (a retry, a replay) publishes the same id and the consumer acts once.
 */
public final class MessageIds {

    private MessageIds() {
    }

    /**
     * The id of what the event at {@code sequence} of aggregate {@code aggregateId} asked for;
     * {@code purpose} tells apart several messages caused by one event (and re-requests, by attempt).
     */
    public static UUID derived(UUID aggregateId, long sequence, String purpose) {
        String name = aggregateId + "/" + sequence + "/" + purpose;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }
}
