package org.nhsv2.payment.reconciliation;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.nhsv2.payment.PaymentIntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A lost webhook never leaves a payment open: each checkout's persistent deadline, and the sweep
 * under it, ask Stripe (here the sandbox) for the session's real state and apply it.
 */
class ReconciliationIT extends PaymentIntegrationTest {

    @Autowired
    private ReconciliationSettings settings;
    @Autowired
    private OverdueTransactions overdue;
    @Autowired
    private CommandGateway commands;

    @Test
    void shouldStoreADeadlineAtTheCheckoutsExpiryInTheDatabase() {
        JsonNode transaction = openCheckout();
        Instant expiresAt = Instant.parse(transaction.path("checkoutExpiresAt").asText());

        Timestamp due = jdbc.queryForObject("select execution_time from scheduled_tasks where task_name like '%eadline%'"
                + " and position(convert_to(?, 'UTF8') in task_data) > 0", Timestamp.class, idOf(transaction).toString());

        assertThat(due.toInstant()).isEqualTo(expiresAt.plus(Duration.ofMinutes(2)));
    }

    @Test
    void shouldApplyAPaymentWhoseWebhookWasLostWhenTheDeadlineFires() {
        JsonNode transaction = openCheckout();
        UUID id = idOf(transaction);
        // Paid at Stripe, and its webhook never came.
        jdbc.update("update sandbox_checkout_session set status = 'complete', payment_status = 'paid'"
                + " where transaction_id = ?", id);

        // The deadline falls due now rather than in 33 minutes; db-scheduler runs it from the database.
        int due = jdbc.update("update scheduled_tasks set execution_time = now() where task_name like '%eadline%'"
                + " and position(convert_to(?, 'UTF8') in task_data) > 0", id.toString());

        assertThat(due).isEqualTo(1);
        JsonNode paid = awaitStatus(id, "PAID");
        assertThat(paid.path("version").asLong()).isEqualTo(2);
        JsonNode entry = as(org.nhsv2.platform.testing.DemoUsers.ALICE).get("/api/transactions/" + id + "/history")
                .body().path("entries").get(2);
        assertThat(entry.path("cause").asText()).isEqualTo("reconciliation");
        assertThat(entry.path("actorId").isNull()).as("not the doctor who opened the checkout").isTrue();
        System.out.println("stripe chaos, lost webhook: 1 payment made without its webhook, found by the checkout's"
                + " deadline: PAID (cause reconciliation)");
    }

    /**
     * A SEPA or Bacs payment: the session complete, its payment unpaid for days. The sweep asks about it every five
     * minutes; each ask used to schedule another check, each of which went on rescheduling itself.
     */
    @Test
    void shouldKeepOneScheduledCheckPerCheckoutHoweverOftenTheSweepAsks() {
        UUID id = idOf(openCheckout());
        jdbc.update("update sandbox_checkout_session set status = 'complete', payment_status = 'unpaid'"
                + " where transaction_id = ?", id);
        clock.advance(Duration.ofMinutes(31 + 11));

        for (int sweep = 0; sweep < 3; sweep++) {
            ReconciliationSweep.sweep(settings, overdue, commands, clock);
        }

        assertThat(jdbc.queryForObject("select status from transaction_view where transaction_id = ?", String.class, id))
                .isEqualTo("OPEN");
        assertThat(jdbc.queryForObject("select count(*) from scheduled_tasks where task_name like '%eadline%'"
                + " and position(convert_to(?, 'UTF8') in task_data) > 0", Integer.class, id.toString()))
                .as("the checkout's own deadline, and no other").isEqualTo(1);
    }

    @Test
    void shouldExpireACheckoutOpenPastItsExpiryWhenTheSweepRuns() {
        UUID id = idOf(openCheckout());
        clock.advance(Duration.ofMinutes(31 + 11));

        int asked = ReconciliationSweep.sweep(settings, overdue, commands, clock);

        assertThat(asked).isGreaterThanOrEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> "EXPIRED".equals(jdbc.queryForObject(
                "select status from transaction_view where transaction_id = ?", String.class, id)));
        System.out.printf("stripe chaos, lost expiry: the sweep asked %d overdue transaction(s); the open checkout is"
                + " EXPIRED%n", asked);
    }
}
