package org.nhsv2.payment.query;

import org.nhsv2.payment.api.DisputeStatus;
import org.nhsv2.payment.api.DisputeView;
import org.nhsv2.payment.api.EmailStatus;
import org.nhsv2.payment.api.LineItem;
import org.nhsv2.payment.api.RefundStatus;
import org.nhsv2.payment.api.TransactionEmail;
import org.nhsv2.payment.api.TransactionStatus;
import org.nhsv2.platform.api.EncryptedText;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code transaction_view} with its items, refunds and answered emails. Every change first advances the view's version
 * to the event's sequence number and touches the item and refund rows only if it did, so applying an
 * event twice (a replay, a retried batch) leaves the rows as applying it once did.
 */
@Repository
class TransactionViewRepository {

    private static final String COLUMNS = """
            transaction_id, facility_id, patient_id, patient_name, patient_email, status, currency, total_amount,
            checkout_url, checkout_expires_at, appointment_id, created_at, version""";
    private static final RowMapper<TransactionRow> ROW = TransactionViewRepository::mapRow;

    private final JdbcTemplate jdbc;
    /** A row and its details from one snapshot: read apart, a change committed between them shows half. */
    private final TransactionTemplate snapshot;

    TransactionViewRepository(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.snapshot = new TransactionTemplate(transactions);
        snapshot.setReadOnly(true);
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    }

    void insert(TransactionRow row, Instant at, boolean startedByPatient) {
        int inserted = jdbc.update("insert into transaction_view (" + COLUMNS + ", updated_at, started_by_patient)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (transaction_id) do nothing",
                row.transactionId(), row.facilityId(), row.patientId(), text(row.patientName()), text(row.patientEmail()),
                row.status().name(), row.currency(), row.totalAmount(), row.checkoutUrl(), timestamp(row.checkoutExpiresAt()),
                row.appointmentId(), Timestamp.from(row.createdAt()), row.version(), Timestamp.from(at), startedByPatient);
        if (inserted == 1) {
            // By position: the same product may stand on two lines with the same quantity.
            List<Object[]> lines = new ArrayList<>();
            for (int line = 0; line < row.items().size(); line++) {
                LineItem item = row.items().get(line);
                lines.add(new Object[] {row.transactionId(), line, item.productId(), item.name(), item.unitAmount(),
                        item.quantity(), item.amount()});
            }
            jdbc.batchUpdate("insert into transaction_item (transaction_id, line, product_id, name, unit_amount, quantity,"
                    + " amount) values (?, ?, ?, ?, ?, ?, ?)", lines);
        }
    }

    /** Moves the view to the event's version, setting the given columns; false if it was already there. */
    boolean advance(UUID transactionId, long version, Instant at, Map<String, Object> columns) {
        List<Object> values = new ArrayList<>();
        StringBuilder set = new StringBuilder();
        columns.forEach((column, value) -> {
            set.append(column).append(" = ?, ");
            values.add(value instanceof Instant instant ? Timestamp.from(instant)
                    : value instanceof Enum<?> constant ? constant.name() : value);
        });
        values.addAll(List.of(version, Timestamp.from(at), transactionId, version));
        return jdbc.update("update transaction_view set " + set + "version = ?, updated_at = ?"
                + " where transaction_id = ? and version < ?", values.toArray()) == 1;
    }

    void insertDispute(UUID transactionId, DisputeView dispute, Instant at) {
        jdbc.update("""
                        insert into transaction_dispute (dispute_id, transaction_id, payment_intent_id, amount, reason, status,
                            opened_at) values (?, ?, ?, ?, ?, ?, ?) on conflict (dispute_id) do nothing""",
                dispute.disputeId(), transactionId, dispute.paymentIntentId(), dispute.amount(), dispute.reason(),
                dispute.status().name(), Timestamp.from(at));
    }

    /** Where the dispute stands now, and its final amount once closed ({@code null}: unchanged). */
    void changeDispute(String disputeId, DisputeStatus status, Long amount) {
        jdbc.update("update transaction_dispute set status = ?, amount = coalesce(?, amount) where dispute_id = ?",
                status.name(), amount, disputeId);
    }

    void insertRefund(UUID transactionId, TransactionRow.Refund refund, Instant at) {
        jdbc.update("""
                        insert into transaction_refund (refund_id, transaction_id, amount, status, stripe_refund_id, reason,
                            requested_at) values (?, ?, ?, ?, ?, ?, ?) on conflict (refund_id) do nothing""",
                refund.refundId(), transactionId, refund.amount(), refund.status().name(), refund.stripeRefundId(),
                text(refund.reason()), Timestamp.from(at));
    }

    /** Taken by Stripe at {@code at}: from then on the refund waits for Stripe's webhook (see {@link #findWithPendingRefunds}). */
    void refundSubmitted(UUID refundId, String stripeRefundId, Instant at) {
        jdbc.update("update transaction_refund set status = ?, stripe_refund_id = coalesce(?, stripe_refund_id),"
                + " submitted_at = ? where refund_id = ?",
                RefundStatus.SUBMITTED.name(), stripeRefundId, Timestamp.from(at), refundId);
    }

    void changeRefund(UUID refundId, RefundStatus status, String stripeRefundId, String failure) {
        jdbc.update("update transaction_refund set status = ?, stripe_refund_id = coalesce(?, stripe_refund_id),"
                + " failure = ? where refund_id = ?", status.name(), stripeRefundId, failure, refundId);
    }

    /** A refund listed that turned out not to be the transaction's. */
    void deleteRefund(UUID refundId) {
        jdbc.update("delete from transaction_refund where refund_id = ?", refundId);
    }

    /** Delivered, also after a failure (a later attempt got through): the failure no longer stands. */
    void emailDelivered(UUID transactionId, UUID requestId, TransactionEmail template, String providerMessageId,
                        Instant deliveredAt, Instant at) {
        jdbc.update("""
                        insert into transaction_email (request_id, transaction_id, template, status, provider_message_id,
                            delivered_at, answered_at) values (?, ?, ?, ?, ?, ?, ?)
                        on conflict (request_id) do update set status = excluded.status,
                            provider_message_id = excluded.provider_message_id, delivered_at = excluded.delivered_at,
                            failure = null, permanent_failure = false""",
                requestId, transactionId, template.name(), EmailStatus.DELIVERED.name(), providerMessageId,
                timestamp(deliveredAt), Timestamp.from(at));
    }

    void emailFailed(UUID transactionId, UUID requestId, TransactionEmail template, EncryptedText failure, boolean permanent,
                     Instant at) {
        jdbc.update("""
                        insert into transaction_email (request_id, transaction_id, template, status, failure,
                            permanent_failure, answered_at) values (?, ?, ?, ?, ?, ?, ?)
                        on conflict (request_id) do nothing""",
                requestId, transactionId, template.name(), EmailStatus.FAILED.name(), text(failure), permanent,
                Timestamp.from(at));
    }

    /**
     * After a payment or a refund: refunded in full, in part, or not at all. A transaction not paid yet keeps
     * its status: Stripe may tell of a refund (made in its dashboard) before it tells of the payment.
     */
    void settleRefundedStatus(UUID transactionId) {
        jdbc.update("""
                update transaction_view v set status = case
                    when refunded.amount >= v.total_amount then 'REFUNDED'
                    when refunded.amount > 0 then 'PARTIALLY_REFUNDED' else 'PAID' end
                from (select coalesce(sum(r.amount), 0) as amount from transaction_refund r
                      where r.transaction_id = ? and r.status = 'SUCCEEDED') refunded
                where v.transaction_id = ? and v.status in ('PAID', 'PARTIALLY_REFUNDED', 'REFUNDED')""",
                transactionId, transactionId);
    }

    Optional<TransactionRow> find(UUID transactionId) {
        return snapshot.execute(tx -> withDetails(jdbc.query("select " + COLUMNS
                + " from transaction_view where transaction_id = ?", ROW, transactionId))).stream().findFirst();
    }

    List<TransactionRow> findByFacility(UUID facilityId, TransactionStatus status, int offset, int limit) {
        return snapshot.execute(tx -> withDetails(jdbc.query("select " + COLUMNS
                        + " from transaction_view where facility_id = ? and (?::text is null or status = ?)"
                        + " order by created_at desc, transaction_id offset ? limit ?",
                ROW, facilityId, name(status), name(status), offset, limit)));
    }

    long countByFacility(UUID facilityId, TransactionStatus status) {
        return count("select count(*) from transaction_view where facility_id = ? and (?::text is null or status = ?)",
                facilityId, name(status), name(status));
    }

    List<TransactionRow> findByPatient(UUID patientId, int offset, int limit) {
        return snapshot.execute(tx -> withDetails(jdbc.query("select " + COLUMNS
                + " from transaction_view where patient_id = ? order by created_at desc, transaction_id offset ? limit ?",
                ROW, patientId, offset, limit)));
    }

    /**
     * The patient's own checkouts (started with their token) that are open, or initiated since the given time, and
     * those of {@code startedMeanwhile} that have no row yet.
     */
    long countWaitingStartedByPatient(UUID patientId, Instant initiatedSince, Collection<UUID> startedMeanwhile) {
        Long count = jdbc.query("""
                select (select count(*) from transaction_view where patient_id = ? and started_by_patient
                            and status in ('INITIATED', 'OPEN') and (status = 'OPEN' or created_at >= ?))
                     + (select count(*) from unnest(?) as started (id)
                            where not exists (select 1 from transaction_view v where v.transaction_id = started.id))""",
                statement -> {
                    statement.setObject(1, patientId);
                    statement.setTimestamp(2, Timestamp.from(initiatedSince));
                    statement.setArray(3, statement.getConnection().createArrayOf("uuid", startedMeanwhile.toArray()));
                }, rs -> rs.next() ? rs.getLong(1) : 0L);
        return count == null ? 0 : count;
    }

    long countByPatient(UUID patientId) {
        return count("select count(*) from transaction_view where patient_id = ?", patientId);
    }

    Optional<UUID> findByPaymentIntent(String paymentIntentId) {
        return jdbc.queryForList("select transaction_id from transaction_view where payment_intent_id = ?", UUID.class,
                paymentIntentId).stream().findFirst();
    }

    /** Checkouts still open a while after they expired: no webhook told their end. */
    List<UUID> findOpenPast(Instant expiredBefore, int limit) {
        return jdbc.queryForList("select transaction_id from transaction_view where status = 'OPEN'"
                        + " and checkout_expires_at < ? order by checkout_expires_at limit ?", UUID.class,
                Timestamp.from(expiredBefore), limit);
    }

    /** Refunds stored a while ago and still not taken by Stripe (its answer was lost). */
    List<UUID> findWithUnsubmittedRefunds(Instant requestedBefore, int limit) {
        return jdbc.queryForList("select distinct transaction_id from transaction_refund where status = 'REQUESTED'"
                + " and requested_at < ? limit ?", UUID.class, Timestamp.from(requestedBefore), limit);
    }

    /**
     * Refunds Stripe took a while ago as pending and no webhook has settled since (it may have been lost), the longest
     * waiting first.
     */
    List<UUID> findWithPendingRefunds(Instant submittedBefore, int limit) {
        return jdbc.queryForList("select transaction_id from transaction_refund where status = 'SUBMITTED'"
                        + " and submitted_at < ? group by transaction_id order by min(submitted_at) limit ?", UUID.class,
                Timestamp.from(submittedBefore), limit);
    }

    void deleteAll() {
        jdbc.update("delete from transaction_view");
    }

    private List<TransactionRow> withDetails(List<TransactionRow> rows) {
        if (rows.isEmpty()) {
            return rows;
        }
        Object[] ids = {rows.stream().map(row -> row.transactionId().toString()).toArray(String[]::new)};
        Map<UUID, List<LineItem>> items = new HashMap<>();
        jdbc.query("select * from transaction_item where transaction_id = any(?::uuid[]) order by transaction_id, line",
                (ResultSet rs) -> {
                    items.computeIfAbsent(rs.getObject("transaction_id", UUID.class), id -> new ArrayList<>())
                            .add(new LineItem(rs.getObject("product_id", UUID.class), rs.getString("name"),
                                    rs.getLong("unit_amount"), rs.getInt("quantity"), rs.getLong("amount")));
                }, ids);
        Map<UUID, List<TransactionRow.Refund>> refunds = new HashMap<>();
        jdbc.query("select * from transaction_refund where transaction_id = any(?::uuid[])"
                        + " order by transaction_id, requested_at, refund_id", (ResultSet rs) -> {
                    refunds.computeIfAbsent(rs.getObject("transaction_id", UUID.class), id -> new ArrayList<>())
                            .add(new TransactionRow.Refund(rs.getObject("refund_id", UUID.class), rs.getLong("amount"),
                                    RefundStatus.valueOf(rs.getString("status")), rs.getString("stripe_refund_id"),
                                    sealed(rs, "reason")));
                }, ids);
        Map<UUID, List<TransactionRow.Email>> emails = new HashMap<>();
        jdbc.query("select * from transaction_email where transaction_id = any(?::uuid[])"
                        + " order by transaction_id, answered_at, request_id", (ResultSet rs) -> {
                    Timestamp delivered = rs.getTimestamp("delivered_at");
                    emails.computeIfAbsent(rs.getObject("transaction_id", UUID.class), id -> new ArrayList<>())
                            .add(new TransactionRow.Email(rs.getObject("request_id", UUID.class),
                                    TransactionEmail.valueOf(rs.getString("template")),
                                    EmailStatus.valueOf(rs.getString("status")), rs.getString("provider_message_id"),
                                    delivered == null ? null : delivered.toInstant(), sealed(rs, "failure"),
                                    rs.getBoolean("permanent_failure")));
                }, ids);
        Map<UUID, List<DisputeView>> disputes = new HashMap<>();
        jdbc.query("select * from transaction_dispute where transaction_id = any(?::uuid[])"
                        + " order by transaction_id, opened_at, dispute_id", (ResultSet rs) -> {
                    disputes.computeIfAbsent(rs.getObject("transaction_id", UUID.class), id -> new ArrayList<>())
                            .add(new DisputeView(rs.getString("dispute_id"), rs.getString("payment_intent_id"),
                                    rs.getLong("amount"), rs.getString("reason"),
                                    DisputeStatus.valueOf(rs.getString("status"))));
                }, ids);
        return rows.stream().map(row -> row.withDetails(items.getOrDefault(row.transactionId(), List.of()),
                refunds.getOrDefault(row.transactionId(), List.of()),
                emails.getOrDefault(row.transactionId(), List.of()),
                disputes.getOrDefault(row.transactionId(), List.of()))).toList();
    }

    private long count(String sql, Object... args) {
        Long count = jdbc.queryForObject(sql, Long.class, args);
        return count == null ? 0 : count;
    }

    private static String name(TransactionStatus status) {
        return status == null ? null : status.name();
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static String text(EncryptedText text) {
        return text == null ? null : text.ciphertext();
    }

    private static EncryptedText sealed(ResultSet rs, String column) throws SQLException {
        String value = rs.getString(column);
        return value == null ? null : new EncryptedText(value);
    }

    private static TransactionRow mapRow(ResultSet rs, int rowNum) throws SQLException {
        Timestamp expires = rs.getTimestamp("checkout_expires_at");
        return new TransactionRow(rs.getObject("transaction_id", UUID.class), rs.getObject("facility_id", UUID.class),
                rs.getObject("patient_id", UUID.class), sealed(rs, "patient_name"), sealed(rs, "patient_email"),
                TransactionStatus.valueOf(rs.getString("status")), rs.getString("currency"), rs.getLong("total_amount"),
                rs.getString("checkout_url"), expires == null ? null : expires.toInstant(),
                rs.getObject("appointment_id", UUID.class), rs.getTimestamp("created_at").toInstant(),
                rs.getLong("version"), List.of(), List.of(), List.of(), List.of());
    }
}
