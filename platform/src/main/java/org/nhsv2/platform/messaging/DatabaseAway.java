package org.nhsv2.platform.messaging;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * Whether a consumer failed because its database is away for now (down, restarting, refusing connections,
 * its pool out of them), whatever the message held: then the message should wait, not be given up on. Found
 * anywhere in the chain of causes, as Axon, Spring and HikariCP each wrap what the driver threw.
 */
final class DatabaseAway {

    /** PostgreSQL's codes for the same: the server shutting down, starting up, or out of connections. */
    private static final Set<String> SERVER_AWAY = Set.of("57P01", "57P02", "57P03", "53300");
    private static final int MAX_DEPTH = 32;

    private DatabaseAway() {
    }

    static boolean among(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < MAX_DEPTH; depth++, cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException || cause instanceof SQLNonTransientConnectionException
                    || cause instanceof SQLRecoverableException || cause instanceof CannotCreateTransactionException
                    || cause instanceof DataAccessResourceFailureException
                    || cause instanceof RecoverableDataAccessException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || SERVER_AWAY.contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
