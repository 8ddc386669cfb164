package org.nhsv2.platform.eventstore;

import org.axonframework.common.DateTimeUtils;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Event rows written straight into Axon's table at chosen global indexes and times, so a test can lay out gaps (an
 * index never written, or written later) the way concurrent writers leave them.
 */
final class EventRows {

    static final String INSERT = """
            insert into domain_event_entry (global_index, sequence_number, meta_data, payload, aggregate_identifier,
                event_identifier, payload_revision, payload_type, time_stamp, type)
            values (?, 0, ?, ?, ?, ?, null, 'java.lang.String', ?, 'Thing')""";

    private static final byte[] PAYLOAD = "\"x\"".getBytes(StandardCharsets.UTF_8);
    private static final byte[] META_DATA = "{}".getBytes(StandardCharsets.UTF_8);

    private EventRows() {
    }

    static void insert(JdbcTemplate jdbc, long globalIndex, Instant time) {
        jdbc.update(INSERT, globalIndex, META_DATA, PAYLOAD, "aggregate-" + globalIndex, eventId(globalIndex),
                DateTimeUtils.formatInstant(time));
    }

    static String eventId(long globalIndex) {
        return "event-" + globalIndex;
    }
}
