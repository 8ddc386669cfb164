package org.nhsv2.platform.eventstore;

import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PessimisticLockingFailureException;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A command whose transaction PostgreSQL aborted as a deadlock or serialization loser runs again through the gateway;
 * every other failure is answered at once. On Axon's real command bus and gateway; the failures are built as the
 * JDBC driver and Spring raise them.
 */
class TransactionConflictRetryTest {

    private final TransactionConflictRetry retry = TransactionConflictRetry.create(4, 1);
    private final AtomicInteger attempts = new AtomicInteger();

    @AfterEach
    void stopRetrying() {
        retry.close();
    }

    @Test
    void shouldRunACommandAgainWhenItsTransactionLostADeadlock() {
        CommandGateway gateway = gateway(failingFirst(2, conflict("40P01")));

        assertThat((String) gateway.sendAndWait("book")).isEqualTo("booked");
        assertThat(attempts).hasValue(3);
        assertThat(retry.retried()).isEqualTo(2);
    }

    @Test
    void shouldRunACommandAgainAfterASerializationFailure() {
        CommandGateway gateway = gateway(failingFirst(1, conflict("40001")));

        assertThat((String) gateway.sendAndWait("book")).isEqualTo("booked");
        assertThat(attempts).hasValue(2);
    }

    @Test
    void shouldAnswerATakenSlotAtOnce() {
        RuntimeException taken = new DataIntegrityViolationException("overlap",
                new SQLException("conflicting key value violates exclusion constraint", "23P01"));
        CommandGateway gateway = gateway(failingFirst(1, taken));

        assertThatThrownBy(() -> gateway.sendAndWait("book")).isSameAs(taken);
        assertThat(attempts).hasValue(1);
        assertThat(retry.retried()).isZero();
    }

    @Test
    void shouldAnswerAStatementErrorWithoutSqlStateAtOnce() {
        RuntimeException driverError = new DataIntegrityViolationException("bad statement",
                new SQLException("the driver gave no SQL state"));
        CommandGateway gateway = gateway(failingFirst(1, driverError));

        assertThatThrownBy(() -> gateway.sendAndWait("book")).isSameAs(driverError);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void shouldAnswerARefusalAtOnce() {
        RuntimeException refused = new IllegalStateException("the appointment is cancelled");
        CommandGateway gateway = gateway(failingFirst(1, refused));

        assertThatThrownBy(() -> gateway.sendAndWait("book")).isSameAs(refused);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void shouldGiveUpAfterItsRetries() {
        RuntimeException deadlock = conflict("40P01");
        CommandGateway gateway = gateway(failingFirst(Integer.MAX_VALUE, deadlock));

        assertThatThrownBy(() -> gateway.sendAndWait("book")).isSameAs(deadlock);
        assertThat(attempts).hasValue(5);
        assertThat(retry.retried()).isEqualTo(4);
    }

    @Test
    void shouldBeTheServicesCommandGateway() {
        CommandBus bus = busWith(failingFirst(2, conflict("40P01")));
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EventStoreAutoConfiguration.class))
                .withBean(CommandBus.class, () -> bus)
                .run(context -> {
                    assertThat((String) context.getBean(CommandGateway.class).sendAndWait("book")).isEqualTo("booked");
                    assertThat(attempts).hasValue(3);
                });
    }

    private CommandGateway gateway(Runnable handler) {
        return DefaultCommandGateway.builder().commandBus(busWith(handler)).retryScheduler(retry).build();
    }

    private static CommandBus busWith(Runnable handler) {
        SimpleCommandBus bus = SimpleCommandBus.builder().build();
        bus.subscribe(String.class.getName(), command -> {
            handler.run();
            return "booked";
        });
        return bus;
    }

    private Runnable failingFirst(int failures, RuntimeException failure) {
        return () -> {
            if (attempts.incrementAndGet() <= failures) {
                throw failure;
            }
        };
    }

    /** As Spring translates PgJDBC's exception for a transaction PostgreSQL rolled back. */
    private static RuntimeException conflict(String sqlState) {
        return new PessimisticLockingFailureException("could not insert the claim",
                new SQLException("deadlock detected", sqlState));
    }
}
