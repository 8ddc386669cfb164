package org.nhsv2.platform.cache;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.SmartLifecycle;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Reference data that rarely changes (facilities, their staff), loaded from PostgreSQL once and kept in
 * memory until the database says it changed. Triggers on the tables {@code NOTIFY} a channel when a
 * statement changes them, and every instance {@code LISTEN}s on its own connection and drops its copy, so
 * a change made on one instance (or by an operator in psql) reaches all of them once it commits.
 *
 * <p>A copy is kept only while the listening connection is known to be up: before it has listened, after
 * it failed, and until it listens again, every read goes to the database. After each (re)connection the
 * copy is dropped, since a change may have committed while nobody listened. A load that overlaps a
 * notification is not kept, so a slow reader never puts back what the change made stale.
 */
public final class NotifiedSnapshot<T> implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NotifiedSnapshot.class);

    /** Opens the listening connection: a connection of its own, never one borrowed from the pool. */
    @FunctionalInterface
    public interface ConnectionSource {
        Connection open() throws SQLException;

        /** Connections to the service's own database, as {@code spring.datasource.*} configures it. */
        static ConnectionSource of(DataSourceProperties database) {
            return () -> DriverManager.getConnection(database.determineUrl(), database.determineUsername(),
                    database.determinePassword());
        }
    }

    private final String channel;
    private final Supplier<T> loader;
    private final ConnectionSource connections;
    private final Duration heartbeat;
    private final AtomicReference<T> copy = new AtomicReference<>();
    private final AtomicLong generation = new AtomicLong();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean listening;
    private volatile boolean running;
    private Thread listener;

    /**
     * @param channel   the channel the tables' triggers notify
     * @param heartbeat how often a quiet connection is checked: the longest a silently lost connection
     *                  keeps a copy that a change may have made stale
     */
    public NotifiedSnapshot(String channel, ConnectionSource connections, Duration heartbeat, Supplier<T> loader) {
        if (!channel.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("channel must be a plain lower-case identifier: " + channel);
        }
        this.channel = channel;
        this.connections = Objects.requireNonNull(connections, "connections");
        this.heartbeat = heartbeat;
        this.loader = Objects.requireNonNull(loader, "loader");
    }

    /** The current data: the kept copy, or a fresh load (kept if nothing changed meanwhile). */
    public T get() {
        if (!listening) {
            return loader.get();
        }
        T kept = copy.get();
        if (kept != null) {
            return kept;
        }
        long seen = generation.get();
        T loaded = Objects.requireNonNull(loader.get(), "loaded snapshot");
        if (generation.get() == seen && copy.compareAndSet(null, loaded) && generation.get() != seen) {
            // A change arrived between the check and the store: what was stored may be stale.
            copy.compareAndSet(loaded, null);
        }
        return loaded;
    }

    /** Whether reads are served from memory: the listening connection is up. */
    public boolean isListening() {
        return listening;
    }

    /** How many changes this instance has heard of (and reconnections made): for tests. */
    long generation() {
        return generation.get();
    }

    private void changed() {
        generation.incrementAndGet();
        copy.set(null);
    }

    @Override
    public void start() {
        running = true;
        listener = new Thread(this::listen, "notified-snapshot-" + channel);
        listener.setDaemon(true);
        listener.start();
    }

    @Override
    public void stop() {
        running = false;
        listening = false;
        changed();
        stopped.countDown();
        if (listener != null) {
            listener.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void listen() {
        Duration backoff = Duration.ofMillis(250);
        while (running) {
            try (Connection connection = connections.open()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + channel);
                }
                PGConnection postgres = connection.unwrap(PGConnection.class);
                changed(); // whatever committed while nobody listened
                if (!listening) {
                    listening = true;
                    log.info("Listening on {}: reference data kept in memory until it changes", channel);
                }
                backoff = Duration.ofMillis(250);
                while (running) {
                    PGNotification[] notifications = postgres.getNotifications((int) heartbeat.toMillis());
                    if (notifications != null && notifications.length > 0) {
                        changed();
                    } else if (!connection.isValid((int) Math.max(1, heartbeat.toSeconds()))) {
                        throw new SQLException("the listening connection stopped answering");
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (listening) {
                    log.warn("Lost the connection listening on {}: reading from the database until it is back: {}",
                            channel, e.toString());
                }
                listening = false;
                changed();
                if (!running) {
                    return;
                }
                try {
                    if (stopped.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5)
                        : backoff.multipliedBy(2);
            }
        }
        listening = false;
        changed();
    }
}
