package org.nhsv2.platform.vault;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Makes a destroyed data key unrecoverable from the live database files. A deleted row stays in its
 * page as a dead tuple until vacuumed, and even a plain VACUUM leaves its bytes in the page's free
 * space; {@code VACUUM FULL} writes the partition anew into zeroed pages and truncates the old file.
 * It runs only once no transaction can still see the row (else the rewrite would copy it), takes the
 * partition's lock for a few milliseconds, and gives up after {@value #LOCK_TIMEOUT} to retry at the
 * next round rather than queue bookings behind it. One instance at a time does this (an advisory lock).
 */
class DataKeyShredder {

    private static final Logger log = LoggerFactory.getLogger(DataKeyShredder.class);
    private static final int SHREDDER_LOCK_NAMESPACE = 0x4e485353; // "NHSS"
    private static final String LOCK_TIMEOUT = "2s";
    private static final Pattern PARTITION = Pattern.compile("patient_data_key_p\\d{2}");
    private static final String SQLSTATE_LOCK_NOT_AVAILABLE = "55P03";

    /**
     * Requests whose erasure every snapshot can see: no backend of this database, prepared transaction
     * or replication slot still holds a horizon at or before the erasing transaction.
     */
    private static final String READY_REQUESTS = """
            select r.partition_name, array_agg(r.id) from data_key_shred_request r
            where not exists (select 1 from pg_stat_activity a
                              where a.datname = current_database() and a.pid <> pg_backend_pid()
                                and (age(a.backend_xmin) >= age(r.requested_xid::xid)
                                     or age(a.backend_xid) >= age(r.requested_xid::xid)))
              and not exists (select 1 from pg_prepared_xacts p
                              where p.database = current_database() and age(p.transaction) >= age(r.requested_xid::xid))
              and not exists (select 1 from pg_replication_slots s
                              where age(s.xmin) >= age(r.requested_xid::xid))
            group by r.partition_name""";

    private final JdbcTemplate jdbc;
    private final AtomicLong pending = new AtomicLong();

    DataKeyShredder(JdbcTemplate jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        Gauge.builder("nhsv2.vault.shred.pending", pending, AtomicLong::get)
                .description("Partitions holding a destroyed data key that are not yet rewritten")
                .register(meters);
    }

    /** Returns the number of partitions rewritten. */
    @Scheduled(fixedDelayString = "${nhsv2.vault.shred-interval:10s}", initialDelayString = "${nhsv2.vault.shred-interval:10s}")
    int shred() {
        Integer rewritten = jdbc.execute((ConnectionCallback<Integer>) this::shred);
        return rewritten == null ? 0 : rewritten;
    }

    private int shred(Connection connection) throws SQLException {
        if (!connection.getAutoCommit()) {
            throw new IllegalStateException("VACUUM cannot run inside a transaction");
        }
        try (Statement statement = connection.createStatement()) {
            if (!tryLock(statement)) {
                return 0;
            }
            try {
                statement.execute("set lock_timeout = '" + LOCK_TIMEOUT + "'");
                return rewriteReadyPartitions(connection, statement);
            } finally {
                statement.execute("reset lock_timeout");
                statement.execute("select pg_advisory_unlock(" + SHREDDER_LOCK_NAMESPACE + ", 0)");
            }
        }
    }

    private int rewriteReadyPartitions(Connection connection, Statement statement) throws SQLException {
        Map<String, Array> ready = new LinkedHashMap<>();
        try (ResultSet rs = statement.executeQuery(READY_REQUESTS)) {
            while (rs.next()) {
                ready.put(rs.getString(1), rs.getArray(2));
            }
        }
        int rewritten = 0;
        for (Map.Entry<String, Array> request : ready.entrySet()) {
            String partition = request.getKey();
            if (!PARTITION.matcher(partition).matches()) {
                throw new IllegalStateException("not a data key partition: " + partition);
            }
            try {
                statement.execute("vacuum (full) " + partition);
            } catch (SQLException e) {
                if (!SQLSTATE_LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                    throw e;
                }
                log.info("Partition {} is busy; it is rewritten at the next round", partition);
                continue;
            }
            try (PreparedStatement done = connection.prepareStatement("delete from data_key_shred_request where id = any(?)")) {
                done.setArray(1, request.getValue());
                done.executeUpdate();
            }
            rewritten++;
        }
        try (ResultSet rs = statement.executeQuery("select count(distinct partition_name), "
                + "coalesce(extract(epoch from now() - min(requested_at)), 0) from data_key_shred_request")) {
            rs.next();
            pending.set(rs.getLong(1));
            if (rs.getDouble(2) > 60) {
                log.warn("Destroyed data keys still in {} partitions after {} s: a long transaction holds them visible",
                        rs.getLong(1), (long) rs.getDouble(2));
            }
        }
        return rewritten;
    }

    private static boolean tryLock(Statement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery("select pg_try_advisory_lock(" + SHREDDER_LOCK_NAMESPACE + ", 0)")) {
            return rs.next() && rs.getBoolean(1);
        }
    }
}
