package org.nhsv2.platform.eventstore;

import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * One poll of a tracking processor, exactly as a storage engine answers it ({@code fetchTrackedEvents}, with gap
 * cleaning, the fetch in its transaction and the token each event gets). The method is protected; this subclass only
 * opens it.
 */
final class TrackingPoll extends JdbcEventStorageEngine {

    private TrackingPoll(JdbcEventStorageEngine.Builder builder) {
        super(builder);
    }

    /** Axon's JDBC engine, polling as the platform has it poll ({@link TrackingQueries}). */
    static TrackingPoll platform(JdbcEventStorageEngine.Builder builder) {
        return new TrackingPoll(TrackingQueries.on(builder));
    }

    /** Axon's JDBC engine as Axon builds it: a bounded range, and a second query when the range is empty. */
    static TrackingPoll stock(JdbcEventStorageEngine.Builder builder) {
        return new TrackingPoll(builder);
    }

    /**
     * The same engine asking for a token's gaps the way Axon's JPA engine did, {@code index > :token OR index IN
     * :gaps}, ordered and limited to a batch: the query that walks the whole store once it is planned generically.
     */
    static TrackingPoll withJpaShapedGapQuery(JdbcEventStorageEngine.Builder builder) {
        return new TrackingPoll(builder.readEventDataWithGaps(TrackingPoll::jpaShapedGapQuery));
    }

    List<? extends TrackedEventData<?>> poll(TrackingToken token) {
        return fetchTrackedEvents(token, batchSize());
    }

    private static PreparedStatement jpaShapedGapQuery(Connection connection, EventSchema schema, long globalIndex,
                                                       int batchSize, List<Long> gaps) throws SQLException {
        String index = schema.globalIndexColumn();
        String sql = "SELECT " + schema.trackedEventFields() + " FROM " + schema.domainEventTable()
                + " WHERE " + index + " > ? OR " + index + " = ANY (?) ORDER BY " + index + " LIMIT ?";
        PreparedStatement statement = connection.prepareStatement(sql);
        statement.setLong(1, globalIndex);
        statement.setArray(2, connection.createArrayOf("bigint", gaps.toArray()));
        statement.setInt(3, batchSize);
        return statement;
    }
}
