package org.nhsv2.platform.testing;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/** Test help for a service's tracking projections. */
public final class Projections {

    private Projections() {
    }

    /**
     * Waits until this context's processor holds its segment, in its own view and in the token store.
     * Another context on the same database (a test with other settings) may have held it. Contexts of one
     * test JVM share Axon's node id, so when that context closes, its release clears the claim this one
     * believes it holds too: this one notices at its next token update and claims again within seconds.
     * Until then a write would wait for its view in vain (202).
     */
    public static void awaitRunning(EventProcessingConfiguration processing, JdbcTemplate jdbc, String processorName) {
        TrackingEventProcessor processor = processing.eventProcessor(processorName, TrackingEventProcessor.class)
                .orElseThrow(() -> new IllegalStateException("No tracking processor " + processorName));
        await().atMost(Duration.ofSeconds(30)).until(() -> !processor.processingStatus().isEmpty()
                && jdbc.queryForObject("select count(*) from token_entry where processor_name = ? and owner is not null",
                Integer.class, processorName) > 0);
    }

    /**
     * Replays the processor's events from the start: stopped, its tokens reset (its reset handler empties
     * the view), started again, and caught up with the head of the event store.
     */
    public static void replay(EventProcessingConfiguration processing, String processorName) {
        TrackingEventProcessor processor = processing.eventProcessor(processorName, TrackingEventProcessor.class)
                .orElseThrow(() -> new IllegalStateException("No tracking processor " + processorName));
        processor.shutDown();
        processor.resetTokens();
        processor.start();
        awaitCaughtUp(processing, processorName);
    }

    /** Waits until the processor has handled every event stored so far, and replays none. */
    public static void awaitCaughtUp(EventProcessingConfiguration processing, String processorName) {
        TrackingEventProcessor processor = processing.eventProcessor(processorName, TrackingEventProcessor.class)
                .orElseThrow(() -> new IllegalStateException("No tracking processor " + processorName));
        // Right after start no segment is claimed yet, and "all of none" would read as caught up.
        await().atMost(Duration.ofSeconds(60)).until(() -> processor.isRunning() && !processor.isReplaying()
                && !processor.processingStatus().isEmpty()
                && processor.processingStatus().values().stream().allMatch(status -> status.isCaughtUp()
                && !status.isErrorState()));
    }

    /** What a replay found: the events in the store (before and after it), and the view before and after. */
    public record Rebuild(long events, long eventsAfter, ViewChecksum before, ViewChecksum after) {
    }

    /** Checksums the view's {@code tables} (see {@link ViewChecksum#of}) once caught up, replays, and checksums again. */
    public static Rebuild rebuild(EventProcessingConfiguration processing, JdbcTemplate jdbc, String processorName,
                                  Map<String, String> tables) {
        awaitCaughtUp(processing, processorName);
        long events = eventsStored(jdbc);
        ViewChecksum before = ViewChecksum.of(jdbc, tables);
        replay(processing, processorName);
        return new Rebuild(events, eventsStored(jdbc), before, ViewChecksum.of(jdbc, tables));
    }

    private static long eventsStored(JdbcTemplate jdbc) {
        return jdbc.queryForObject("select count(*) from domain_event_entry", Long.class);
    }
}
