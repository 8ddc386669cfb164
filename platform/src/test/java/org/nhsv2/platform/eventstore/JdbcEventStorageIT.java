package org.nhsv2.platform.eventstore;

import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The platform's engine reads the same events with the same tracking tokens (gaps, timed-out gaps) and timestamps as
 * Axon's engine, from a store with gaps, old and new events, an aggregate and a timestamp stored with an offset; and
 * stores a timestamp in the text Axon's engine would. An aggregate is loaded from its events alone.
 */
class JdbcEventStorageIT {

    private static final EventStoreSchema SCHEMA = new EventStoreSchema("jdbc_event_storage_it");
    private static final List<Long> MISSING = List.of(4L, 12L, 25L);

    @BeforeAll
    static void fill() {
        SCHEMA.drop();
        SCHEMA.migrate();
        Instant now = Instant.now();
        SCHEMA.withJdbc(jdbc -> {
            for (long i = 1; i <= 30; i++) {
                if (MISSING.contains(i)) {
                    continue;
                }
                // Up to 15 older than a gap may stay open (a minute), then new; one in another form Axon reads too
                Instant at = i <= 15 ? now.minus(10, ChronoUnit.MINUTES).plusMillis(i) : now.plusMillis(i);
                String stored = i == 8 ? "2026-11-28T10:15:30.5+01:00" : DateTimeUtils.formatInstant(at);
                boolean ofAggregate = i >= 20 && i <= 22;
                jdbc.update("""
                        insert into domain_event_entry (global_index, sequence_number, meta_data, payload,
                            aggregate_identifier, event_identifier, payload_revision, payload_type, time_stamp, type)
                        values (?, ?, convert_to('{"n":1}', 'UTF8'), convert_to('"x"', 'UTF8'), ?, ?, null,
                            'java.lang.String', ?, ?)""",
                        i, ofAggregate ? i - 20 : 0, ofAggregate ? "aggregate" : "event-" + i, "event-" + i, stored,
                        ofAggregate ? "Thing" : null);
            }
            jdbc.execute("select setval('domain_event_entry_global_index_seq', 30)");
        });
    }

    @AfterAll
    static void dropSchema() {
        SCHEMA.drop();
    }

    @Test
    void shouldReadWhatAxonsEngineReads() {
        SCHEMA.runner().run(context -> {
            EventStorageEngine ours = context.getBean(EventStorageEngine.class);
            assertThat(ours).isExactlyInstanceOf(JdbcEventStorage.class);
            JdbcEventStorageEngine axons = TrackingPoll.stock(EventStoreSchema.stockBuilder(context));

            List<TrackingToken> from = Arrays.asList(null, GapAwareTrackingToken.newInstance(3, new TreeSet<>()),
                    GapAwareTrackingToken.newInstance(13, new TreeSet<>(List.of(4L, 12L))),
                    GapAwareTrackingToken.newInstance(26, new TreeSet<>(List.of(25L))));
            for (TrackingToken token : from) {
                List<String> read = tracked(ours.readEvents(token, false));
                assertThat(read).as("from %s", token).isEqualTo(tracked(axons.readEvents(token, false))).isNotEmpty();
            }
            List<String> all = tracked(ours.readEvents(null, false));
            assertThat(all).hasSize(27);
            // A gap before a new event stays open; one before an old event does not
            assertThat(all.get(all.size() - 1)).contains("gaps=[25]");
            assertThat(all.get(3)).startsWith("5 ").contains("gaps=[]");
            assertThat(all.get(6)).startsWith("8 ").contains("2026-11-28T09:15:30.500Z");

            assertThat(ours.readEvents("aggregate").asStream().map(event -> event.getSequenceNumber() + " "
                    + event.getTimestamp() + " " + event.getPayload()).toList())
                    .isEqualTo(axons.readEvents("aggregate").asStream().map(event -> event.getSequenceNumber() + " "
                            + event.getTimestamp() + " " + event.getPayload()).toList())
                    .hasSize(3);
        });
    }

    @Test
    void shouldStoreATimestampAsAxonsEngineDoes() {
        SCHEMA.runner().run(context -> {
            EventStorageEngine ours = context.getBean(EventStorageEngine.class);
            Instant at = Instant.parse("2026-11-28T10:15:30.123456Z");
            context.getBean(TransactionTemplate.class).executeWithoutResult(status -> ours.appendEvents(
                    new GenericDomainEventMessage<>("Stored", "appended", 0, "payload", null, "appended-0", at)));
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            String stored = jdbc.queryForObject(
                    "select time_stamp from domain_event_entry where aggregate_identifier = 'appended'", String.class);
            // The other test reads the filled store only
            jdbc.update("delete from domain_event_entry where aggregate_identifier = 'appended'");
            assertThat(stored).isEqualTo(DateTimeUtils.formatInstant(at)).isEqualTo("2026-11-28T10:15:30.123Z");
        });
    }

    @Test
    void shouldLoadAnAggregateFromItsEventsAloneAndRefuseToStoreASnapshot() {
        SCHEMA.runner().run(context -> {
            EventStore store = context.getBean(EventStore.class);
            TransactionTemplate transaction = context.getBean(TransactionTemplate.class);
            DomainEventMessage<String> snapshot = new GenericDomainEventMessage<>("Thing", "aggregate", 1, "snapshot");
            // Stored by Axon's engine, which the store of Axon's configuration would read before the events after it
            transaction.executeWithoutResult(status ->
                    TrackingPoll.stock(EventStoreSchema.stockBuilder(context)).storeSnapshot(snapshot));
            try {
                assertThat(store.readEvents("aggregate").asStream()
                        .map(event -> event.getSequenceNumber() + " " + event.getPayload()).toList())
                        .containsExactly("0 x", "1 x", "2 x");
                assertThatThrownBy(() -> transaction.executeWithoutResult(status -> store.storeSnapshot(snapshot)))
                        .isInstanceOf(UnsupportedOperationException.class);
            } finally {
                context.getBean(JdbcTemplate.class).update("delete from snapshot_event_entry");
            }
        });
    }

    private static List<String> tracked(Stream<? extends TrackedEventMessage<?>> events) {
        return events.map(event -> ((GapAwareTrackingToken) event.trackingToken()).getIndex() + " "
                + event.trackingToken() + " " + event.getTimestamp() + " " + event.getIdentifier() + " "
                + event.getPayload() + " " + event.getMetaData()).toList();
    }
}
