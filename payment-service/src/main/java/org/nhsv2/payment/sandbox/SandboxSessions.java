package org.nhsv2.payment.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.nhsv2.payment.api.LineItem;
import org.nhsv2.payment.stripe.StripeMode;
import org.springframework.context.annotation.Conditional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The sandbox's own record of its sessions and refunds: what Stripe keeps on its side. */
@Repository
@Conditional(StripeMode.Sandbox.class)
class SandboxSessions {

    private static final TypeReference<List<LineItem>> ITEMS = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    SandboxSessions(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    record Session(String sessionId, UUID transactionId, String currency, long amountTotal, List<LineItem> items,
                   String status, String paymentStatus, String paymentIntentId, Instant expiresAt) {

        boolean isOpen() {
            return "open".equals(status);
        }
    }

    record Refund(String refundId, UUID transactionId, UUID ownRefundId, String paymentIntentId, long amount,
                  String status, boolean created) {
    }

    /** The session made under this idempotency key, made now if there is none. */
    Session open(String idempotencyKey, Session session) {
        jdbc.update("""
                        insert into sandbox_checkout_session (session_id, idempotency_key, transaction_id, currency,
                            amount_total, line_items, status, payment_status, payment_intent_id, expires_at)
                        values (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?) on conflict (idempotency_key) do nothing""",
                session.sessionId(), idempotencyKey, session.transactionId(), session.currency(), session.amountTotal(),
                write(session.items()), session.status(), session.paymentStatus(), session.paymentIntentId(),
                Timestamp.from(session.expiresAt()));
        return jdbc.queryForObject("select * from sandbox_checkout_session where idempotency_key = ?", this::session,
                idempotencyKey);
    }

    Optional<Session> find(String sessionId) {
        return jdbc.query("select * from sandbox_checkout_session where session_id = ?", this::session, sessionId)
                .stream().findFirst();
    }

    Optional<UUID> transactionOfPaymentIntent(String paymentIntentId) {
        return jdbc.queryForList("select transaction_id from sandbox_checkout_session where payment_intent_id = ?",
                UUID.class, paymentIntentId).stream().findFirst();
    }

    /** Moves an open session on; false if it was no longer open (a second click, another tab). */
    boolean close(String sessionId, String status, String paymentStatus) {
        return jdbc.update("update sandbox_checkout_session set status = ?, payment_status = ? where session_id = ?"
                + " and status = 'open'", status, paymentStatus, sessionId) == 1;
    }

    Refund refund(String idempotencyKey, Refund refund) {
        int created = jdbc.update("""
                        insert into sandbox_refund (refund_id, idempotency_key, transaction_id, own_refund_id,
                            payment_intent_id, amount, status)
                        values (?, ?, ?, ?, ?, ?, ?) on conflict (idempotency_key) do nothing""",
                refund.refundId(), idempotencyKey, refund.transactionId(), refund.ownRefundId(), refund.paymentIntentId(),
                refund.amount(), refund.status());
        return jdbc.queryForObject("select * from sandbox_refund where idempotency_key = ?",
                (rs, n) -> refund(rs, created == 1), idempotencyKey);
    }

    Optional<Refund> findRefund(String refundId) {
        return jdbc.query("select * from sandbox_refund where refund_id = ?", (rs, n) -> refund(rs, false), refundId)
                .stream().findFirst();
    }

    /** The refund made for this service's {@code ownRefundId} of the payment, under whichever key. */
    Optional<Refund> findRefundOf(String paymentIntentId, UUID ownRefundId) {
        return jdbc.query("select * from sandbox_refund where payment_intent_id = ? and own_refund_id = ?",
                (rs, n) -> refund(rs, false), paymentIntentId, ownRefundId).stream().findFirst();
    }

    void refundSettled(String refundId, String status) {
        jdbc.update("update sandbox_refund set status = ? where refund_id = ?", status, refundId);
    }

    private static Refund refund(ResultSet rs, boolean created) throws SQLException {
        return new Refund(rs.getString("refund_id"), rs.getObject("transaction_id", UUID.class),
                rs.getObject("own_refund_id", UUID.class), rs.getString("payment_intent_id"), rs.getLong("amount"),
                rs.getString("status"), created);
    }

    private Session session(ResultSet rs, int row) throws SQLException {
        return new Session(rs.getString("session_id"), rs.getObject("transaction_id", UUID.class),
                rs.getString("currency"), rs.getLong("amount_total"), read(rs.getString("line_items")),
                rs.getString("status"), rs.getString("payment_status"), rs.getString("payment_intent_id"),
                rs.getTimestamp("expires_at").toInstant());
    }

    private String write(List<LineItem> items) {
        try {
            return json.writeValueAsString(items);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<LineItem> read(String items) {
        try {
            return json.readValue(items, ITEMS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
