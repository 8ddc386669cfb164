package org.nhsv2.platform.eventstore;

import org.axonframework.common.jdbc.JdbcException;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;

import java.sql.BatchUpdateException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class UniqueViolationsTest {

    private final UniqueViolations resolver = new UniqueViolations();

    @Test
    void shouldRecogniseAUniqueViolationWhereverItSitsAmongTheCauses() {
        SQLException duplicate = new SQLException("duplicate key value violates unique constraint", "23505");

        assertThat(resolver.isDuplicateKeyViolation(duplicate)).isTrue();
        assertThat(resolver.isDuplicateKeyViolation(new JdbcException("append failed", duplicate))).isTrue();
        assertThat(resolver.isDuplicateKeyViolation(new EventStoreException("append failed",
                new BatchUpdateException("batch", "23505", 0, new int[0], duplicate)))).isTrue();
        assertThat(resolver.isDuplicateKeyViolation(new DataIntegrityViolationException("wrapped", duplicate))).isTrue();
    }

    @Test
    void shouldNotTakeOtherFailuresForAConcurrentChange() {
        assertThat(resolver.isDuplicateKeyViolation(new SQLException("conflicting key value violates exclusion "
                + "constraint", "23P01"))).isFalse();
        assertThat(resolver.isDuplicateKeyViolation(new SQLException("null value in column", "23502"))).isFalse();
        assertThat(resolver.isDuplicateKeyViolation(new JdbcException("gone",
                new SQLException("terminating connection", "57P01")))).isFalse();
        assertThat(resolver.isDuplicateKeyViolation(new SQLException("no state"))).isFalse();
        assertThat(resolver.isDuplicateKeyViolation(new IllegalStateException("a bug"))).isFalse();
    }
}
