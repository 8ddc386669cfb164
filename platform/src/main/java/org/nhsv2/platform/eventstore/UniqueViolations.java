package org.nhsv2.platform.eventstore;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;

import java.sql.SQLException;

/**
 * Tells Axon's event store that an append failed on a unique key: another transaction stored the same aggregate's
 * event with that sequence number first. Axon then raises its {@code ConcurrencyException} (a 409 for the client)
 * instead of a storage failure. PostgreSQL says so with SQL state {@code 23505} on the driver's exception, wherever
 * it sits in the chain of causes. Axon's JDBC default waits for a {@code SQLIntegrityConstraintViolationException},
 * which PgJDBC never throws; its JPA one needs the JPA API on the class path.
 */
public final class UniqueViolations implements PersistenceExceptionResolver {

    static final String UNIQUE_VIOLATION = "23505";

    @Override
    public boolean isDuplicateKeyViolation(Exception exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
