package org.nhsv2.appointment.query;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.junit.jupiter.api.Test;
import org.nhsv2.appointment.IntegrationTest;
import org.nhsv2.platform.testing.Api;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.nhsv2.platform.testing.DemoUsers.ALICE;
import static org.nhsv2.platform.testing.DemoUsers.RIVERSIDE;

/** Replaying every event from the start rebuilds exactly the rows the live projection wrote. */
class ProjectionReplayIT extends IntegrationTest {

    private static final String ALL_ROWS = "select * from appointment_view order by appointment_id";

    @Autowired
    private EventProcessingConfiguration processing;

    @Test
    void shouldRebuildIdenticalRowsWhenTheProjectionIsReplayed() {
        Api alice = as(ALICE);
        Instant start = freeSlot();
        String moved = alice.post("/api/appointments", booking(RIVERSIDE, UUID.randomUUID(), start)).text("appointmentId");
        alice.post("/api/appointments/" + moved + "/reschedule",
                Map.of("start", start.plus(Duration.ofHours(1)).toString(), "reason", "moved"));
        String cancelled = alice.post("/api/appointments", booking(RIVERSIDE, UUID.randomUUID(), start)).text("appointmentId");
        alice.post("/api/appointments/" + cancelled + "/cancel", Map.of("reason", "no longer needed"));
        TrackingEventProcessor processor = processing
                .eventProcessor(AppointmentProjection.PROCESSING_GROUP, TrackingEventProcessor.class).orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> caughtUp(processor));
        List<Map<String, Object>> before = jdbc.queryForList(ALL_ROWS);
        assertThat(before).extracting(row -> row.get("appointment_id").toString()).contains(moved, cancelled);

        processor.shutDown();
        processor.resetTokens();
        assertThat(jdbc.queryForObject("select count(*) from appointment_view", Integer.class)).isZero();
        processor.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> caughtUp(processor));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(jdbc.queryForList(ALL_ROWS)).isEqualTo(before));
    }

    private static boolean caughtUp(TrackingEventProcessor processor) {
        // Right after start no segment is claimed yet, and "all of none" would read as caught up.
        return processor.isRunning() && !processor.isReplaying() && !processor.processingStatus().isEmpty()
                && processor.processingStatus().values().stream().allMatch(status -> status.isCaughtUp());
    }
}
