package org.nhsv2.platform.testing;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;

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
}
