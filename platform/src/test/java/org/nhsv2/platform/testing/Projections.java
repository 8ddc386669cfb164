package org.nhsv2.platform.testing;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;

import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** Test help for a service's tracking projections. */
public final class Projections {

    private Projections() {
    }

    /**
     * Waits until this context's processor holds its segment. Another context on the same database (a
     * test with other settings) may have held it; once that one closes, this one claims it within
     * seconds. Until then a write would wait for its view in vain (202).
     */
    public static void awaitRunning(EventProcessingConfiguration processing, String processorName) {
        TrackingEventProcessor processor = processing.eventProcessor(processorName, TrackingEventProcessor.class)
                .orElseThrow(() -> new IllegalStateException("No tracking processor " + processorName));
        await().atMost(Duration.ofSeconds(30)).until(() -> !processor.processingStatus().isEmpty());
    }
}
