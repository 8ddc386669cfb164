package org.nhsv2.payment.query;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nhsv2.contracts.EmailDelivered;
import org.nhsv2.contracts.EmailFailed;
import org.nhsv2.contracts.EmailTemplate;
import org.nhsv2.payment.PaymentIntegrationTest;
import org.nhsv2.payment.StripePayloads;
import org.nhsv2.payment.TestBroker;
import org.nhsv2.payment.api.RequestRefundCommand;
import org.nhsv2.platform.api.Actor;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.DemoUsers;
import org.nhsv2.platform.testing.Projections;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.nhsv2.payment.StripePayloads.event;
import static org.nhsv2.payment.StripePayloads.newEventId;

/** Replaying every event from the start rebuilds exactly the transaction view the live projection wrote. */
class TransactionReplayIT extends PaymentIntegrationTest {

    private static final long TOTAL = 7000;
    private static final Map<String, String> VIEW = new LinkedHashMap<>();

    static {
        VIEW.put("transaction_view", "transaction_id");
        VIEW.put("transaction_item", "transaction_id, line");
        VIEW.put("transaction_refund", "refund_id");
        VIEW.put("transaction_email", "request_id");
        VIEW.put("transaction_dispute", "dispute_id");
    }

    @Autowired
    private EventProcessingConfiguration processing;
    @Autowired
    private CommandGateway commands;

    @BeforeEach
    void listenForEmails() {
        TestBroker.get();
        Projections.awaitRunning(processing, jdbc, "transaction-emails");
    }

    @Test
    void shouldRebuildAViewOfEveryKindOfHistoryWithTheSameChecksum() {
        Api alice = as(DemoUsers.ALICE);
        UUID open = idOf(openCheckout());
        UUID paid = paidCheckout();
        UUID partly = paidCheckout();
        assertThat(alice.post("/api/transactions/" + partly + "/refunds", Map.of("amount", 2500, "reason", "One pack"))
                .status()).isIn(201, 202);
        UUID refunded = paidCheckout();
        assertThat(alice.post("/api/transactions/" + refunded + "/refunds", Map.of("amount", TOTAL, "reason", "All"))
                .status()).isIn(201, 202);
        UUID expired = idOf(openCheckout());
        deliver(event(newEventId(), "checkout.session.expired", StripePayloads.session(expired, sessionOf(expired),
                "expired", "unpaid", null, TOTAL)));
        UUID failed = idOf(openCheckout());
        deliver(event(newEventId(), "checkout.session.async_payment_failed", StripePayloads.session(failed,
                sessionOf(failed), "complete", "unpaid", "pi_replay_failed", TOTAL)));
        UUID dashboard = paidCheckout();
        String intent = jdbc.queryForObject("select payment_intent_id from transaction_view where transaction_id = ?",
                String.class, dashboard);
        deliver(event(newEventId(), "charge.refunded", StripePayloads.refundedCharge(intent, 1000, List.of(
                StripePayloads.refund(null, null, "re_replay_" + dashboard, intent, 1000, "succeeded")))));
        UUID refundFailed = UUID.randomUUID();
        commands.sendAndWait(new RequestRefundCommand(paid, refundFailed, 500, "Declined later"), MetaData.from(
                new Actor(DemoUsers.ALICE_ID, Actor.Role.DOCTOR, Set.of(DemoUsers.RIVERSIDE)).metaData()));
        deliver(event(newEventId(), "refund.failed", StripePayloads.refund(paid, refundFailed, "re_replay_failed", intent,
                500, "failed")));
        UUID disputed = paidCheckout();
        String disputedIntent = jdbc.queryForObject("select payment_intent_id from transaction_view where"
                + " transaction_id = ?", String.class, disputed);
        deliver(event(newEventId(), "charge.dispute.created", StripePayloads.dispute("dp_replay_" + disputed,
                disputedIntent, 3000, "warning_needs_response")));
        deliver(event(newEventId(), "charge.dispute.updated", StripePayloads.dispute("dp_replay_" + disputed,
                disputedIntent, 3000, "needs_response")));
        deliver(event(newEventId(), "charge.dispute.closed", StripePayloads.dispute("dp_replay_" + disputed,
                disputedIntent, 3000, "lost")));
        UUID link = awaitEmails(paid, EmailTemplate.PAYMENT_LINK, 1).get(0).email().requestId();
        UUID receipt = awaitEmails(paid, EmailTemplate.PAYMENT_RECEIPT, 1).get(0).email().requestId();
        TestBroker.get().answer(new EmailDelivered(link, paid, "sg-" + link, Instant.now().truncatedTo(ChronoUnit.MILLIS)));
        TestBroker.get().answer(new EmailFailed(receipt, paid, "Mailbox full", false));
        UUID erasedPatient = UUID.randomUUID();
        Api.Response erasedCheckout = alice.post("/api/checkouts", checkout(DemoUsers.RIVERSIDE, erasedPatient,
                List.of(item(CONSULTATION_GBP, 1))));
        assertThat(erasedCheckout.status()).isEqualTo(201);
        UUID erased = idOf(erasedCheckout.body());
        assertThat(as(DemoUsers.ADMIN).delete("/api/patients/" + erasedPatient + "/personal-data?basis=DATA_SUBJECT_REQUEST").status()).isEqualTo(200);

        Map<UUID, String> expected = Map.of(open, "OPEN", paid, "PAID", partly, "PARTIALLY_REFUNDED", refunded, "REFUNDED",
                expired, "EXPIRED", failed, "FAILED", dashboard, "PARTIALLY_REFUNDED", erased, "OPEN");
        expected.forEach((id, status) -> awaitStatus(id, status));
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject("select count(*) from transaction_email"
                + " where transaction_id = ?", Integer.class, paid) == 2
                && "FAILED".equals(jdbc.queryForObject("select status from transaction_refund where refund_id = ?",
                String.class, refundFailed)));
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForList("select status from transaction_dispute"
                + " where transaction_id = ?", String.class, disputed), List.of("LOST")::equals);
        JsonNode erasedView = as(DemoUsers.ALICE).get("/api/transactions/" + erased).body();
        assertThat(erasedView.path("patientName").asText()).isEqualTo("[erased]");

        Projections.Rebuild rebuild = Projections.rebuild(processing, jdbc, TransactionProjection.PROCESSING_GROUP, VIEW);

        assertThat(rebuild.eventsAfter()).as("nothing written meanwhile").isEqualTo(rebuild.events());
        assertThat(rebuild.after()).isEqualTo(rebuild.before());
        System.out.printf("projection rebuild, transaction-view: %d events replayed, %d rows %s, md5 before %s, after %s%n",
                rebuild.events(), rebuild.after().totalRows(), rebuild.after().rows(), rebuild.before().md5(),
                rebuild.after().md5());
    }
}
