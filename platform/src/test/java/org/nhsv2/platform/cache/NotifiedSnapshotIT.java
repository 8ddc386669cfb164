package org.nhsv2.platform.cache;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nhsv2.platform.PlatformDatabase;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reference data kept in memory by two "instances" (two snapshots, each with its own listening
 * connection) on the real PostgreSQL: a change committed anywhere reaches both; while a listener is
 * cut off its instance reads the database; a load that overlaps a change is not kept.
 */
class NotifiedSnapshotIT {

    private static final String CHANNEL = "notified_snapshot_it";
    private static final JdbcTemplate admin = PlatformDatabase.admin();

    private final List<NotifiedSnapshot<Long>> started = new ArrayList<>();
    private final AtomicInteger loads = new AtomicInteger();

    /** In a schema of its own: the platform's other tests migrate the public schema, which must stay empty for them. */
    @BeforeAll
    static void createTableWithTrigger() {
        admin.execute("DROP SCHEMA IF EXISTS notified_snapshot_it CASCADE");
        admin.execute("CREATE SCHEMA notified_snapshot_it");
        admin.execute("CREATE TABLE notified_snapshot_it.reference_data (id serial PRIMARY KEY)");
        admin.execute("""
                CREATE FUNCTION notified_snapshot_it.notify_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN PERFORM pg_notify('notified_snapshot_it', TG_TABLE_NAME); RETURN NULL; END $$""");
        admin.execute("""
                CREATE TRIGGER reference_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
                ON notified_snapshot_it.reference_data
                FOR EACH STATEMENT EXECUTE FUNCTION notified_snapshot_it.notify_changed()""");
    }

    @AfterAll
    static void dropSchema() {
        admin.execute("DROP SCHEMA IF EXISTS notified_snapshot_it CASCADE");
    }

    @AfterEach
    void stop() {
        started.forEach(NotifiedSnapshot::stop);
    }

    @Test
    void shouldKeepTheDataOnEveryInstanceUntilAChangeCommitsAnywhere() {
        NotifiedSnapshot<Long> one = listening(connections(new AtomicBoolean(true)));
        NotifiedSnapshot<Long> two = listening(connections(new AtomicBoolean(true)));
        long before = rows();

        for (int i = 0; i < 5; i++) {
            assertThat(one.get()).isEqualTo(before);
            assertThat(two.get()).isEqualTo(before);
        }
        assertThat(loads).as("loads for ten reads on two instances").hasValue(2);

        admin.update("INSERT INTO notified_snapshot_it.reference_data DEFAULT VALUES");

        await().atMost(Duration.ofSeconds(5)).until(() -> one.get() == before + 1 && two.get() == before + 1);
        int afterChange = loads.get();
        one.get();
        two.get();
        assertThat(loads).as("loads once the new data is kept").hasValue(afterChange);
        System.out.printf("notified snapshot: 2 instances, 1 change, %d loads in all%n", loads.get());
    }

    @Test
    void shouldReadTheDatabaseWhileItCannotListenAndForgetWhatItKeptOnceItListensAgain() {
        AtomicBoolean reachable = new AtomicBoolean(true);
        NotifiedSnapshot<Long> snapshot = listening(connections(reachable));
        long before = snapshot.get();

        reachable.set(false);
        admin.queryForList("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN " + CHANNEL
                + "' AND application_name = 'notified-snapshot-it'");
        await().atMost(Duration.ofSeconds(10)).until(() -> !snapshot.isListening());
        admin.update("INSERT INTO notified_snapshot_it.reference_data DEFAULT VALUES"); // nobody hears this one
        int cutOff = loads.get();
        assertThat(snapshot.get()).isEqualTo(before + 1);
        assertThat(snapshot.get()).isEqualTo(before + 1);
        assertThat(loads.get() - cutOff).as("loads for two reads while cut off").isEqualTo(2);

        admin.update("INSERT INTO notified_snapshot_it.reference_data DEFAULT VALUES"); // nor this one
        reachable.set(true);
        await().atMost(Duration.ofSeconds(10)).until(snapshot::isListening);
        assertThat(snapshot.get()).isEqualTo(before + 2);
    }

    @Test
    void shouldNotKeepALoadThatAChangeOverlapped() throws Exception {
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean slow = new AtomicBoolean(false);
        NotifiedSnapshot<Long> snapshot = start(new NotifiedSnapshot<>(CHANNEL, connections(new AtomicBoolean(true)),
                Duration.ofSeconds(1), () -> {
            long rows = rows();
            if (slow.getAndSet(false)) {
                loading.countDown();
                waitFor(release);
            }
            loads.incrementAndGet();
            return rows;
        }));
        await().atMost(Duration.ofSeconds(10)).until(snapshot::isListening);
        long before = rows();
        slow.set(true);

        CompletableFuture<Long> slowReader = CompletableFuture.supplyAsync(snapshot::get);
        assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue(); // it has read the old data
        long generation = snapshot.generation();
        admin.update("INSERT INTO notified_snapshot_it.reference_data DEFAULT VALUES");
        await().atMost(Duration.ofSeconds(5)).until(() -> snapshot.generation() > generation);
        release.countDown();

        assertThat(slowReader.get(10, TimeUnit.SECONDS)).isEqualTo(before);
        assertThat(snapshot.get()).as("what the next reader sees").isEqualTo(before + 1);
    }

    private NotifiedSnapshot<Long> listening(NotifiedSnapshot.ConnectionSource connections) {
        NotifiedSnapshot<Long> snapshot = start(new NotifiedSnapshot<>(CHANNEL, connections, Duration.ofSeconds(1),
                () -> {
                    loads.incrementAndGet();
                    return rows();
                }));
        await().atMost(Duration.ofSeconds(10)).until(snapshot::isListening);
        return snapshot;
    }

    private NotifiedSnapshot<Long> start(NotifiedSnapshot<Long> snapshot) {
        snapshot.start();
        started.add(snapshot);
        return snapshot;
    }

    /** The platform role's connections, refused while {@code reachable} is false. */
    private static NotifiedSnapshot.ConnectionSource connections(AtomicBoolean reachable) {
        return () -> {
            if (!reachable.get()) {
                throw new SQLException("connection refused (the test cut it off)", "08001");
            }
            return DriverManager.getConnection(PlatformDatabase.URL + (PlatformDatabase.URL.contains("?") ? "&" : "?")
                    + "ApplicationName=notified-snapshot-it", "nhsv2_platform", "nhsv2_platform");
        };
    }

    private static long rows() {
        Long count = admin.queryForObject("SELECT count(*) FROM notified_snapshot_it.reference_data", Long.class);
        return count == null ? 0 : count;
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
