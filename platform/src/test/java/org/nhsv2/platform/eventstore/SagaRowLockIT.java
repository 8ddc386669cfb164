package org.nhsv2.platform.eventstore;

import org.axonframework.modelling.saga.repository.jdbc.SagaSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances handling one saga at once (its deadline on one, its event on the other): the second load waits
 * for the first unit of work and reads what it committed, where both read the same row and the last commit wrote
 * over the other's state.
 */
class SagaRowLockIT {

    private static final EventStoreSchema SCHEMA = new EventStoreSchema("saga_row_lock_it");
    private static final LockingSagaSqlSchema SAGAS = new LockingSagaSqlSchema(SagaSchema.builder()
            .sagaEntryTable("saga_entry").revisionColumn("revision").serializedSagaColumn("serialized_saga")
            .associationValueEntryTable("association_value_entry").associationKeyColumn("association_key")
            .associationValueColumn("association_value").sagaIdColumn("saga_id").sagaTypeColumn("saga_type").build());

    @BeforeAll
    static void freshSchema() {
        SCHEMA.drop();
        SCHEMA.migrate();
        SCHEMA.withJdbc(jdbc -> jdbc.update("insert into saga_entry (saga_id, revision, saga_type, serialized_saga)"
                + " values ('saga-1', null, 'Confirmation', ?)", (Object) "reminder pending".getBytes(StandardCharsets.UTF_8)));
    }

    @AfterAll
    static void dropSchema() {
        SCHEMA.drop();
    }

    @Test
    void shouldHaveASecondLoadWaitForTheFirstUnitOfWorkAndReadWhatItCommitted() throws Exception {
        try (Connection deadline = transaction(); Connection processor = transaction()) {
            assertThat(load(deadline)).isEqualTo("reminder pending");
            int processorBackend = backendOf(processor);

            CompletableFuture<String> processorLoad = CompletableFuture.supplyAsync(() -> load(processor));
            await().atMost(Duration.ofSeconds(10)).until(() -> waitsForALock(processorBackend));
            assertThat(processorLoad).as("the second load waits").isNotDone();

            try (PreparedStatement update = deadline.prepareStatement(
                    "update saga_entry set serialized_saga = ? where saga_id = 'saga-1'")) {
                update.setBytes(1, "reminder sent, start awaited".getBytes(StandardCharsets.UTF_8));
                update.executeUpdate();
            }
            deadline.commit();

            assertThat(processorLoad.get()).isEqualTo("reminder sent, start awaited");
            processor.commit();
        }
    }

    private static Connection transaction() throws SQLException {
        Connection connection = DriverManager.getConnection(SCHEMA.url(), "nhsv2_platform", "nhsv2_platform");
        connection.setAutoCommit(false);
        return connection;
    }

    private static String load(Connection connection) {
        try (PreparedStatement statement = SAGAS.sql_loadSaga(connection, "saga-1");
             ResultSet row = statement.executeQuery()) {
            row.next();
            return new String(row.getBytes(1), StandardCharsets.UTF_8);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int backendOf(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("select pg_backend_pid()");
             ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getInt(1);
        }
    }

    private static boolean waitsForALock(int backend) {
        boolean[] waits = new boolean[1];
        SCHEMA.withJdbc(jdbc -> waits[0] = Boolean.TRUE.equals(jdbc.queryForObject(
                "select wait_event_type = 'Lock' from pg_stat_activity where pid = ?", Boolean.class, backend)));
        return waits[0];
    }
}
