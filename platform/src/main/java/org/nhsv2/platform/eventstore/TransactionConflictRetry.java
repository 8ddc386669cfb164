package org.nhsv2.platform.eventstore;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.AbstractRetryScheduler;
import org.axonframework.common.AxonThreadFactory;

import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * Dispatches a command again when PostgreSQL aborted its transaction as the loser of a deadlock (40P01) or a
 * serialization failure (40001), and only then. Such a transaction committed nothing, so running the command again is
 * safe, and it then meets the state the winner left: two bookings of overlapping slots whose exclusion checks waited
 * on each other give one 201 and one 409, not a 500. Any other failure, a business refusal or a taken slot (23P01)
 * included, is answered at once. A few retries, with back-off and jitter so that the losers do not meet again; a
 * command that loses every time is answered 503 {@code contention} with {@code Retry-After} (the problem advice).
 */
public class TransactionConflictRetry extends AbstractRetryScheduler implements AutoCloseable {

    static final Set<String> CONFLICT_STATES = Set.of("40P01", "40001");

    private final long backoffMillis;
    private final ScheduledExecutorService executor;
    private final LongAdder retried = new LongAdder();

    private TransactionConflictRetry(Builder builder, ScheduledExecutorService executor, long backoffMillis) {
        super(builder.retryExecutor(executor));
        this.executor = executor;
        this.backoffMillis = backoffMillis;
    }

    /** Up to {@code maxRetries} more attempts, the n-th after about {@code backoffMillis} × 2^(n-1). */
    public static TransactionConflictRetry create(int maxRetries, long backoffMillis) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
                new AxonThreadFactory("command-conflict-retry"));
        Builder builder = new Builder();
        builder.maxRetryCount(maxRetries);
        return new TransactionConflictRetry(builder, executor, backoffMillis);
    }

    /** Whether PostgreSQL rolled the failure's transaction back as a conflict loser, anywhere in its causes. */
    public static boolean isTransactionConflict(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null && CONFLICT_STATES.contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected boolean isExplicitlyNonTransient(Throwable failure) {
        return !isTransactionConflict(failure);
    }

    /** How many times a command has been dispatched again since start (metric {@code nhsv2.command.conflict.retries}). */
    public long retried() {
        return retried.sum();
    }

    /** Asked once for each retry that is scheduled, so counted here. */
    @Override
    protected long computeRetryInterval(CommandMessage commandMessage, RuntimeException lastFailure,
                                        List<Class<? extends Throwable>[]> failures) {
        retried.increment();
        long base = backoffMillis << Math.min(failures.size() - 1, 10);
        return base / 2 + ThreadLocalRandom.current().nextLong(base + 1);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private static final class Builder extends AbstractRetryScheduler.Builder<Builder> {
    }
}
