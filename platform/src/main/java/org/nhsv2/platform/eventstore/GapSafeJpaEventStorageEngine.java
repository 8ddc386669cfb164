package org.nhsv2.platform.eventstore;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventsourcing.eventstore.jpa.JpaEventStorageEngine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Axon's JPA storage engine, with a token's gaps read by key instead of by scanning history.
 * <p>
 * While a tracking token holds gaps, Axon asks for {@code globalIndex > :token OR globalIndex IN :gaps}, ordered and
 * limited to a batch. A processor runs that statement again and again, and once PostgreSQL plans it generically (it
 * does when that looks no dearer than planning it for each token) the plan walks the primary key from the first event
 * ever stored and filters: every poll touches the whole table (DESIGN.md, "Tracking query with gaps"). Here the same
 * rows come from the two halves of that condition, each a bounded range of the primary key however it is planned:
 * the gaps looked up by key, and the tail read from the token on, each ordered and limited to the batch.
 * <p>
 * Only {@link #fetchEvents} changes, which Axon calls inside {@code fetchTrackedEvents}' transaction once it has
 * cleaned the token's old gaps. What Axon does with the rows stays Axon's: the token each event gets, gap timeout,
 * max gap offset and gap cleaning, with every setting of the {@link JpaEventStorageEngine.Builder}.
 */
public class GapSafeJpaEventStorageEngine extends JpaEventStorageEngine {

    /** The columns, in the order, that Axon's {@code fetchTrackedEvents} reads from each row. */
    private static final String COLUMNS = "e.globalIndex, e.type, e.aggregateIdentifier, e.sequenceNumber, "
            + "e.eventIdentifier, e.timeStamp, e.payloadType, e.payloadRevision, e.payload, e.metaData";

    public GapSafeJpaEventStorageEngine(JpaEventStorageEngine.Builder builder) {
        super(builder);
    }

    /**
     * The rows Axon's query returns for this token, in the same order. Every gap is below the token's index (the token
     * refuses any other), so no row is in both halves, and the first {@code batchSize} rows of the gaps and of the
     * tail hold the first {@code batchSize} of the two together. One statement reads both halves at one instant, as
     * Axon's single query does; they are merged here. Without gaps Axon's own query is a bounded range and is kept.
     */
    @Override
    protected List<Object[]> fetchEvents(GapAwareTrackingToken token) {
        if (token == null || token.getGaps().isEmpty()) {
            return super.fetchEvents(token);
        }
        String entity = domainEventEntryEntityName();
        List<Object[]> rows = new ArrayList<>(entityManager().createQuery(
                        "(SELECT " + COLUMNS + " FROM " + entity + " e WHERE e.globalIndex IN :gaps "
                                + "ORDER BY e.globalIndex ASC LIMIT :batchSize) "
                                + "UNION ALL "
                                + "(SELECT " + COLUMNS + " FROM " + entity + " e WHERE e.globalIndex > :token "
                                + "ORDER BY e.globalIndex ASC LIMIT :batchSize)", Object[].class)
                .setParameter("gaps", token.getGaps())
                .setParameter("token", token.getIndex())
                .setParameter("batchSize", batchSize())
                .getResultList());
        rows.sort(Comparator.comparingLong(row -> (Long) row[0]));
        return rows.size() > batchSize() ? rows.subList(0, batchSize()) : rows;
    }
}
