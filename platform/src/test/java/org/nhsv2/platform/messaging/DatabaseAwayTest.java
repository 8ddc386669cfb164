package org.nhsv2.platform.messaging;

import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseAwayTest {

    @Test
    void shouldSeeTheDatabaseAwayWhereverTheChainOfCausesHoldsIt() {
        assertThat(DatabaseAway.among(new CannotGetJdbcConnectionException("no connection"))).isTrue();
        assertThat(DatabaseAway.among(new CannotCreateTransactionException("no transaction"))).isTrue();
        assertThat(DatabaseAway.among(new EventStoreException("append failed",
                new SQLTransientConnectionException("Connection is not available, request timed out")))).isTrue();
        assertThat(DatabaseAway.among(new IllegalStateException("handler failed",
                new SQLException("An I/O error occurred while sending to the backend", "08006")))).isTrue();
        assertThat(DatabaseAway.among(new SQLException("terminating connection due to administrator command", "57P01")))
                .isTrue();
        assertThat(DatabaseAway.among(new SQLException("the database system is starting up", "57P03"))).isTrue();
    }

    @Test
    void shouldNotSeeItInFailuresThatTryingAgainWouldNotMend() {
        assertThat(DatabaseAway.among(new IllegalStateException("cannot erase now"))).isFalse();
        assertThat(DatabaseAway.among(new DataIntegrityViolationException("duplicate",
                new SQLException("duplicate key value violates unique constraint", "23505")))).isFalse();
        assertThat(DatabaseAway.among(new SQLException("no state"))).isFalse();
    }

    @Test
    void shouldStopAtACycleInTheChain() {
        IllegalStateException first = new IllegalStateException("first");
        IllegalStateException second = new IllegalStateException("second", first);
        first.initCause(second);

        assertThat(DatabaseAway.among(first)).isFalse();
    }
}
