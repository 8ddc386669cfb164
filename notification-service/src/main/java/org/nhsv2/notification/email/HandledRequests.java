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

    /** First half of the two-part advisory lock on the emails of one correlation that carry a revision: "NHNR". */
    static final int CORRELATION_LOCK_NAMESPACE = 0x4e484e52;

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
                        INSERT INTO handled_request (request_id, correlation_id, patient_id, template, requester, revision)
                        VALUES (?, ?, ?, ?, ?, ?)
                        ON CONFLICT (request_id) DO NOTHING""")
                .params(request.requestId(), request.correlationId(), request.patientId(), request.template().name(),
                        requester, request.revision())
                .update();
        return jdbc.sql("""
                        SELECT outcome, provider_message_id, delivered_at, failure_reason, superseded_by
                        FROM handled_request WHERE request_id = ? FOR UPDATE""")
                .param(request.requestId())
                .query((row, number) -> Optional.ofNullable(outcomeOf(row)))
                .single();
    }

    /**
     * The newest email sent for the requester about the request's correlation with a higher revision than the
     * request's, if any: delivered, or sent with the provider's answer lost (the patient may have it). First takes the correlation's lock until the caller's transaction ends, so the emails of
     * one correlation that carry a revision are handled one at a time: one being sent meanwhile has committed and
     * is seen, or waits for the caller. Must run in a transaction, for a request that names a revision.
     */
    Optional<UUID> newerSent(EmailRequested request, String requester) {
        jdbc.sql("SELECT 1 FROM pg_advisory_xact_lock(?, ?)")
                .params(CORRELATION_LOCK_NAMESPACE, request.correlationId().hashCode())
                .query(Integer.class)
                .single();
        return jdbc.sql("""
                        SELECT request_id FROM handled_request
                        WHERE correlation_id = ? AND requester = ? AND revision > ?
                          AND revision IS NOT NULL AND (outcome = 'DELIVERED' OR answers_lost > 0)
                        ORDER BY revision DESC LIMIT 1""")
                .params(request.correlationId(), requester, request.revision())
                .query(UUID.class)
                .optional();
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

    /** How many sends of the request (whose row the caller's transaction holds) had their provider's answer lost. */
    int answersLost(UUID requestId) {
        return jdbc.sql("SELECT answers_lost FROM handled_request WHERE request_id = ?")
                .param(requestId)
                .query(Integer.class)
                .single();
    }

    /** Stores how the request ended, and the revision it was handled at (a request asked again may name a newer one). */
    void record(EmailRequested request, Outcome outcome, Instant handledAt) {
        Outcome.Delivered delivered = outcome instanceof Outcome.Delivered d ? d : null;
        Outcome.Failed failed = outcome instanceof Outcome.Failed f ? f : null;
        Outcome.Superseded superseded = outcome instanceof Outcome.Superseded s ? s : null;
        jdbc.sql("""
                        UPDATE handled_request
                        SET outcome = ?, provider_message_id = ?, delivered_at = ?, failure_reason = ?, superseded_by = ?,
                            handled_at = ?, revision = ?
                        WHERE request_id = ?""")
                .params(delivered != null ? "DELIVERED" : failed != null ? "FAILED" : "SUPERSEDED",
                        delivered != null ? delivered.providerMessageId() : null,
                        delivered != null ? utc(delivered.deliveredAt()) : null,
                        failed != null ? failed.reason() : null,
                        superseded != null ? superseded.by() : null,
                        utc(handledAt),
                        request.revision(),
                        request.requestId())
                .update();
    }

    private static Outcome outcomeOf(ResultSet row) throws SQLException {
        String outcome = row.getString("outcome");
        if (outcome == null) {
            return null;
        }
        return switch (outcome) {
            case "DELIVERED" -> new Outcome.Delivered(row.getString("provider_message_id"),
                    row.getObject("delivered_at", OffsetDateTime.class).toInstant());
            case "SUPERSEDED" -> new Outcome.Superseded(row.getObject("superseded_by", UUID.class));
            default -> new Outcome.Failed(row.getString("failure_reason"));
        };
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
