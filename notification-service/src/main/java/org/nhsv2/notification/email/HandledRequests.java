package org.nhsv2.notification.email;

import org.nhsv2.contracts.EmailRequested;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/** The {@code handled_request} table: one row per request id, locked while it is handled. */
@Repository
class HandledRequests {

    private final JdbcClient jdbc;

    HandledRequests(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Inserts the request's row, or waits for the lock of whoever holds it (a concurrent duplicate) and
     * then locks it, until the caller's transaction ends. Returns the outcome if the request was
     * handled before. Must run in a transaction.
     */
    Optional<Outcome> claim(EmailRequested request, String requester) {
        jdbc.sql("""
                        INSERT INTO handled_request (request_id, correlation_id, patient_id, template, requester)
                        VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (request_id) DO NOTHING""")
                .params(request.requestId(), request.correlationId(), request.patientId(), request.template().name(),
                        requester)
                .update();
        return jdbc.sql("""
                        SELECT outcome, provider_message_id, delivered_at, failure_reason
                        FROM handled_request WHERE request_id = ? FOR UPDATE""")
                .param(request.requestId())
                .query((row, number) -> Optional.ofNullable(outcomeOf(row)))
                .single();
    }

    /**
     * Counts one more answer lost for the request (whose row the caller's transaction holds) and returns
     * how many were lost in all, this one included.
     */
    int answerLost(UUID requestId) {
        return jdbc.sql("""
                        UPDATE handled_request SET answers_lost = answers_lost + 1
                        WHERE request_id = ? RETURNING answers_lost""")
                .param(requestId)
                .query(Integer.class)
                .single();
    }

    void record(UUID requestId, Outcome outcome, Instant handledAt) {
        Outcome.Delivered delivered = outcome instanceof Outcome.Delivered d ? d : null;
        Outcome.Failed failed = outcome instanceof Outcome.Failed f ? f : null;
        jdbc.sql("""
                        UPDATE handled_request
                        SET outcome = ?, provider_message_id = ?, delivered_at = ?, failure_reason = ?, handled_at = ?
                        WHERE request_id = ?""")
                .params(delivered != null ? "DELIVERED" : "FAILED",
                        delivered != null ? delivered.providerMessageId() : null,
                        delivered != null ? utc(delivered.deliveredAt()) : null,
                        failed != null ? failed.reason() : null,
                        utc(handledAt),
                        requestId)
                .update();
    }

    private static Outcome outcomeOf(ResultSet row) throws SQLException {
        String outcome = row.getString("outcome");
        if (outcome == null) {
            return null;
        }
        if (outcome.equals("DELIVERED")) {
            return new Outcome.Delivered(row.getString("provider_message_id"),
                    row.getObject("delivered_at", OffsetDateTime.class).toInstant());
        }
        return new Outcome.Failed(row.getString("failure_reason"));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
