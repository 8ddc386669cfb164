package org.nhsv2.platform.eventstore;

import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * A tracking processor's poll as one statement: the next batch of events after the token, however far ahead they
 * lie, plus any of the token's gaps that have filled.
 * <p>
 * Axon's JDBC engine asks for a range, the batch size's worth of global indexes after the token; when that range
 * holds nothing it asks again for the lowest index beyond it (its "extended gap check"), in case more writers than a
 * batch rolled back in a row and left a hole wider than the range. A processor at the head of the store finds the
 * range empty on most polls, so most polls were two statements: 2.7 of the 47 a booking cost. Here the batch is
 * ordered and limited instead of bounded ({@code > token order by index limit batch}): PostgreSQL walks the primary
 * key from the token and stops after a batch, so a poll reads no more than before at any size of the store, crosses a
 * hole of any width, and an empty answer means there is nothing newer. The extended check is left off.
 * <p>
 * The tokens and their gaps are Axon's own: each event's token is built by the engine from the rows in index order,
 * as before; the gaps are asked for as one array parameter, so one statement text serves any number of them.
 */
final class TrackingQueries {

    private TrackingQueries() {
    }

    /** Axon's engine builder, polling with these statements. */
    static JdbcEventStorageEngine.Builder on(JdbcEventStorageEngine.Builder builder) {
        return builder.readEventDataWithoutGaps(TrackingQueries::after)
                .readEventDataWithGaps(TrackingQueries::afterAndFilledGaps)
                .extendedGapCheckEnabled(false);
    }

    /** The next {@code batchSize} events after {@code globalIndex} (-1 for a processor without a token). */
    static PreparedStatement after(Connection connection, EventSchema schema, long globalIndex, int batchSize)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(next(schema));
        statement.setLong(1, globalIndex);
        statement.setInt(2, batchSize);
        return statement;
    }

    /** As {@link #after}, and the events that have since appeared at any of the token's gaps, all in index order. */
    static PreparedStatement afterAndFilledGaps(Connection connection, EventSchema schema, long globalIndex, int batchSize,
                                                List<Long> gaps) throws SQLException {
        String index = schema.globalIndexColumn();
        PreparedStatement statement = connection.prepareStatement("select * from ((" + next(schema) + ") union all (select "
                + schema.trackedEventFields() + " from " + schema.domainEventTable() + " where " + index
                + " = any (?))) tracked order by " + index);
        statement.setLong(1, globalIndex);
        statement.setInt(2, batchSize);
        statement.setArray(3, connection.createArrayOf("bigint", gaps.toArray()));
        return statement;
    }

    private static String next(EventSchema schema) {
        String index = schema.globalIndexColumn();
        return "select " + schema.trackedEventFields() + " from " + schema.domainEventTable() + " where " + index
                + " > ? order by " + index + " limit ?";
    }
}
