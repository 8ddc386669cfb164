package org.nhsv2.platform.eventstore;

import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;

import javax.annotation.Nonnull;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * Axon's JDBC engine, with each stored event's timestamp written and read by {@link EventTimestamps} and read once:
 * Axon's engine reads a tracked event's timestamp to decide whether a gap before it may still fill, and again when
 * the event becomes a message. The tracking token is built as Axon's engine builds it, with Axon's default gap
 * settings, which this class sets on the builder too (Axon's engine keeps the builder's private), and a processor's
 * poll is one statement ({@link TrackingQueries}). It neither reads nor stores snapshots: no aggregate here is
 * snapshotted.
 */
final class JdbcEventStorage extends JdbcEventStorageEngine {

    /** Axon's defaults: a gap stays open for a minute, at most 10,000 behind, and indexes start at 1. */
    private static final int GAP_TIMEOUT_MS = 60_000;
    private static final int MAX_GAP_OFFSET = 10_000;
    private static final long LOWEST_GLOBAL_SEQUENCE = 1;

    JdbcEventStorage(Builder builder) {
        super(TrackingQueries.on(builder.gapTimeout(GAP_TIMEOUT_MS).maxGapOffset(MAX_GAP_OFFSET)
                .lowestGlobalSequence(LOWEST_GLOBAL_SEQUENCE)));
    }

    @Override
    protected TrackedEventData<?> getTrackedEventData(ResultSet resultSet, GapAwareTrackingToken previousToken)
            throws SQLException {
        EventSchema schema = schema();
        long globalSequence = resultSet.getLong(schema.globalIndexColumn());
        String aggregateIdentifier = resultSet.getString(schema.aggregateIdentifierColumn());
        String eventIdentifier = resultSet.getString(schema.eventIdentifierColumn());
        StoredEvent<?> event = stored(resultSet, eventIdentifier.equals(aggregateIdentifier) ? null : aggregateIdentifier,
                eventIdentifier);
        boolean allowGaps = event.getTimestamp()
                .isAfter(GenericEventMessage.clock.instant().minusMillis(GAP_TIMEOUT_MS));
        GapAwareTrackingToken token = previousToken == null
                ? GapAwareTrackingToken.newInstance(globalSequence, allowGaps
                        ? LongStream.range(Math.min(LOWEST_GLOBAL_SEQUENCE, globalSequence), globalSequence).boxed()
                                .collect(Collectors.toCollection(TreeSet::new))
                        : Collections.emptySortedSet())
                : previousToken.advanceTo(globalSequence, allowGaps ? MAX_GAP_OFFSET : 0);
        return new TrackedDomainEventData<>(token, event);
    }

    @Override
    protected DomainEventData<?> getDomainEventData(ResultSet resultSet) throws SQLException {
        return stored(resultSet);
    }

    /**
     * No aggregate here is snapshotted (an appointment or a payment transaction has a handful of events), so an
     * aggregate's load does not first ask the store for a snapshot that never exists: a query on every load.
     */
    @Override
    public Optional<DomainEventMessage<?>> readSnapshot(@Nonnull String aggregateIdentifier) {
        return Optional.empty();
    }

    /** Refused, so that a snapshot trigger added later fails loudly instead of storing snapshots nothing reads. */
    @Override
    protected void storeSnapshot(DomainEventMessage<?> snapshot, Serializer serializer) {
        throw new UnsupportedOperationException("aggregates are not snapshotted here: the event store reads none ("
                + getClass().getName() + ")");
    }

    @Override
    protected void writeTimestamp(PreparedStatement statement, int position, Instant timestamp) throws SQLException {
        statement.setString(position, EventTimestamps.format(timestamp));
    }

    private StoredEvent<?> stored(ResultSet row) throws SQLException {
        EventSchema schema = schema();
        return stored(row, row.getString(schema.aggregateIdentifierColumn()),
                row.getString(schema.eventIdentifierColumn()));
    }

    private StoredEvent<?> stored(ResultSet row, String aggregateIdentifier, String eventIdentifier)
            throws SQLException {
        EventSchema schema = schema();
        return new StoredEvent<>(row.getString(schema.typeColumn()), aggregateIdentifier,
                row.getLong(schema.sequenceNumberColumn()), eventIdentifier,
                readTimeStamp(row, schema.timestampColumn()).toString(), row.getString(schema.payloadTypeColumn()),
                row.getString(schema.payloadRevisionColumn()), readPayload(row, schema.payloadColumn()),
                readPayload(row, schema.metaDataColumn()));
    }

    /**
     * An event's row as Axon's engine reads it, its timestamp parsed when first asked for (an aggregate's events never
     * are) and kept.
     */
    private static final class StoredEvent<T> implements DomainEventData<T> {

        private final DomainEventData<T> row;
        private final String storedTimestamp;
        private Instant timestamp;

        StoredEvent(String type, String aggregateIdentifier, long sequenceNumber, String eventIdentifier,
                    String storedTimestamp, String payloadType, String payloadRevision, T payload, T metaData) {
            this.row = new GenericDomainEventEntry<>(type, aggregateIdentifier, sequenceNumber, eventIdentifier,
                    storedTimestamp, payloadType, payloadRevision, payload, metaData);
            this.storedTimestamp = storedTimestamp;
        }

        @Override
        public Instant getTimestamp() {
            Instant parsed = timestamp;
            if (parsed == null) {
                // An Instant's fields are final: a thread that sees one sees it whole; at worst two threads parse it.
                parsed = EventTimestamps.parse(storedTimestamp);
                timestamp = parsed;
            }
            return parsed;
        }

        @Override
        public String getType() {
            return row.getType();
        }

        @Override
        public String getAggregateIdentifier() {
            return row.getAggregateIdentifier();
        }

        @Override
        public long getSequenceNumber() {
            return row.getSequenceNumber();
        }

        @Override
        public String getEventIdentifier() {
            return row.getEventIdentifier();
        }

        @Override
        public SerializedObject<T> getMetaData() {
            return row.getMetaData();
        }

        @Override
        public SerializedObject<T> getPayload() {
            return row.getPayload();
        }
    }
}
