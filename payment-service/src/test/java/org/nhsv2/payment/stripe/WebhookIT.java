package org.nhsv2.payment.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;
import org.nhsv2.payment.PaymentIntegrationTest;
import org.nhsv2.payment.StripePayloads;
import org.nhsv2.payment.api.RefundStatus;
import org.nhsv2.payment.api.RequestRefundCommand;
import org.nhsv2.payment.api.SubmitRefundCommand;
import org.nhsv2.platform.api.Actor;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.DemoUsers;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.nhsv2.payment.StripePayloads.event;
import static org.nhsv2.payment.StripePayloads.newEventId;
import static org.nhsv2.payment.StripePayloads.session;

/**
 * Stripe's deliveries over HTTP, signed with the local webhook secret as Stripe signs them: only a
 * verified event is applied, each once, and any order of deliveries ends in the same state.
 */
class WebhookIT extends PaymentIntegrationTest {

    private static final long TOTAL = 7000;

    @Autowired
    private CommandGateway commands;
    @Autowired
    private MeterRegistry meters;

    @Test
    void shouldApplyAVerifiedCompletedSessionAndRecordItsEventIdInTheHistory() {
        UUID id = idOf(openCheckout());
        String eventId = newEventId();

        HttpResponse<String> response = deliver(completed(eventId, id, "paid"));

        assertThat(response.statusCode()).isEqualTo(200);
        awaitStatus(id, "PAID");
        JsonNode history = as(DemoUsers.ALICE).get("/api/transactions/" + id + "/history").body();
        JsonNode paid = history.path("entries").get(2);
        assertThat(paid.path("type").asText()).isEqualTo("PaymentSucceeded");
        assertThat(paid.path("stripeEventId").asText()).isEqualTo(eventId);
        assertThat(paid.path("cause").asText()).isEqualTo("stripe-webhook");
        assertThat(paid.path("actorId").isNull()).isTrue();
    }

    @Test
    void shouldRefuseATamperedBodyAWrongSecretAStaleOrMissingSignatureAndApplyNothing() {
        UUID id = idOf(openCheckout());
        String payload = completed(newEventId(), id, "paid");
        long now = clock.instant().getEpochSecond();
        String signature = signature(payload, WEBHOOK_SECRET, now);

        List<HttpResponse<String>> refused = List.of(
                deliverWithSignature(payload.replace("\"amount_total\":" + TOTAL, "\"amount_total\":1"), signature),
                deliver(payload, "whsec_someone_elses_secret_0000000000000", now),
                deliver(payload, WEBHOOK_SECRET, now - 301),
                deliverWithSignature(payload, null),
                deliverWithSignature(payload, "t=" + now + ",v1=deadbeef"));

        assertThat(refused).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("application/problem+json"));
            assertThat(response.body()).contains("invalid-webhook");
        });
        assertThat(eventsOf(id)).isEqualTo(2);
        // Within the 300 s tolerance the same event is accepted.
        assertThat(deliver(payload, WEBHOOK_SECRET, now - 200).statusCode()).isEqualTo(200);
        awaitStatus(id, "PAID");
        System.out.printf("stripe chaos, bad signatures: %d deliveries refused with 400 (tampered body, wrong secret,"
                + " stale, missing, forged), %d events applied from them; the genuine one applied%n", refused.size(),
                eventsOf(id) - 3);
    }

    @Test
    void shouldApplyTheSameDeliveryThreeTimesOnce() {
        UUID id = idOf(openCheckout());
        String payload = completed(newEventId(), id, "paid");

        for (int i = 0; i < 3; i++) {
            assertThat(deliver(payload).statusCode()).isEqualTo(200);
        }
        // And the same fact under another event id (async_payment_succeeded after completed) adds nothing.
        assertThat(deliver(event(newEventId(), "checkout.session.async_payment_succeeded",
                session(id, sessionOf(id), "complete", "paid", "pi_test_1", TOTAL))).statusCode()).isEqualTo(200);

        awaitStatus(id, "PAID");
        assertThat(eventsOf(id, "PaymentSucceededEvent")).isEqualTo(1);
        System.out.printf("stripe chaos, duplicates: the same completed event delivered 3 times and the same fact under"
                + " another event id once: %d payment recorded%n", eventsOf(id, "PaymentSucceededEvent"));
    }

    @Test
    void shouldApplyARepeatedDeclineOnceThoughEachDeclineIsAFactOfItsOwn() {
        UUID id = idOf(openCheckout());
        String declined = event(newEventId(), "payment_intent.payment_failed",
                StripePayloads.failedPaymentIntent(id, "pi_declined_" + id));

        for (int i = 0; i < 3; i++) {
            assertThat(deliver(declined).statusCode()).isEqualTo(200);
        }
        deliver(event(newEventId(), "payment_intent.payment_failed", StripePayloads.failedPaymentIntent(id, "pi_declined_" + id)));

        await(id, "PaymentAttemptFailedEvent", 2);
        assertThat(awaitStatus(id, "OPEN").path("version").asLong()).isEqualTo(3);
    }

    @Test
    void shouldEndPaidWhenCompletedArrivesAfterExpiredAndWhenItArrivesBefore() {
        UUID expiredFirst = idOf(openCheckout());
        deliver(expired(expiredFirst));
        awaitStatus(expiredFirst, "EXPIRED");
        deliver(completed(newEventId(), expiredFirst, "paid"));

        UUID completedFirst = idOf(openCheckout());
        deliver(completed(newEventId(), completedFirst, "paid"));
        deliver(expired(completedFirst));

        awaitStatus(expiredFirst, "PAID");
        awaitStatus(completedFirst, "PAID");
        assertThat(eventsOf(completedFirst, "CheckoutExpiredEvent")).isZero();
        assertThat(eventsOf(expiredFirst, "PaymentSucceededEvent")).isEqualTo(1);
        System.out.printf("stripe chaos, reordered: expired before completed and completed before expired (4 deliveries):"
                + " both PAID, %d expiry recorded after the payment, %d payment after the expiry%n",
                eventsOf(completedFirst, "CheckoutExpiredEvent"), eventsOf(expiredFirst, "PaymentSucceededEvent"));
    }

    @Test
    void shouldEndPartlyRefundedWhenStripeTellsOfARefundBeforeThePayment() {
        UUID id = idOf(openCheckout());
        String paymentIntent = "pi_refund_first_" + id;
        Map<String, Object> refund = StripePayloads.refund(null, null, "re_refund_first_" + id, paymentIntent, 2000,
                "succeeded");
        String chargeRefunded = event(newEventId(), "charge.refunded",
                StripePayloads.refundedCharge(id, paymentIntent, 2000, List.of(refund)));

        // A refund made in Stripe's dashboard is told first; the payment's own webhook comes later.
        assertThat(deliver(chargeRefunded).statusCode()).isEqualTo(200);
        JsonNode beforePayment = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> as(DemoUsers.ALICE).get("/api/transactions/" + id).body(),
                        body -> body.path("version").asLong() == 2);
        List<Integer> statuses = List.of(deliver(completed(newEventId(), id, "paid", paymentIntent)).statusCode(),
                deliver(event(newEventId(), "refund.updated", refund)).statusCode(),
                deliver(chargeRefunded).statusCode());

        assertThat(beforePayment.path("status").asText()).as("not paid yet").isEqualTo("OPEN");
        JsonNode view = awaitStatus(id, "PARTIALLY_REFUNDED");
        assertThat(statuses).containsOnly(200);
        assertThat(view.path("refundedAmount").asLong()).isEqualTo(2000);
        assertThat(view.path("refunds")).hasSize(1);
        assertThat(eventsOf(id, "RefundRecordedEvent")).isEqualTo(1);
        assertThat(eventsOf(id, "PaymentSucceededEvent")).isEqualTo(1);
        System.out.printf("stripe chaos, refund told before payment: 4 deliveries (charge.refunded, then completed,"
                        + " refund.updated, charge.refunded again), answers after the first %s, %d payment and %d refund recorded, %s with %d"
                        + " refunded%n", statuses, eventsOf(id, "PaymentSucceededEvent"), eventsOf(id, "RefundRecordedEvent"),
                view.path("status").asText(), view.path("refundedAmount").asLong());
    }

    @Test
    void shouldRecordAPaymentWhoseWebhookComesAfterTheCheckoutExpiredAndWasReconciled() {
        UUID id = idOf(openCheckout());
        String completed = completed(newEventId(), id, "paid");
        // Paid in the last moment; the webhook is held up past the session's expiry, and past the deadline
        // at which the service asked Stripe (the sandbox), which then told it the session had expired.
        clock.advance(java.time.Duration.ofMinutes(31 + 3));
        int due = jdbc.update("update scheduled_tasks set execution_time = now() where task_name like '%eadline%'"
                + " and position(convert_to(?, 'UTF8') in task_data) > 0", id.toString());
        awaitStatus(id, "EXPIRED");

        HttpResponse<String> late = deliver(completed);
        HttpResponse<String> again = deliver(completed);

        assertThat(due).isEqualTo(1);
        assertThat(late.statusCode()).isEqualTo(200);
        assertThat(again.statusCode()).isEqualTo(200);
        awaitStatus(id, "PAID");
        assertThat(eventsOf(id, "CheckoutExpiredEvent")).isEqualTo(1);
        assertThat(eventsOf(id, "PaymentSucceededEvent")).isEqualTo(1);
        System.out.printf("stripe chaos, webhook delayed past expiry: expired by reconciliation 34 min after opening,"
                        + " then completed delivered twice (answers %d, %d): %d payment recorded, PAID%n",
                late.statusCode(), again.statusCode(), eventsOf(id, "PaymentSucceededEvent"));
    }

    @Test
    void shouldHandleEachCheckoutEventType() {
        UUID unpaid = idOf(openCheckout());
        assertThat(deliver(completed(newEventId(), unpaid, "unpaid")).statusCode()).isEqualTo(200);
        UUID asyncPaid = idOf(openCheckout());
        deliver(event(newEventId(), "checkout.session.async_payment_succeeded",
                session(asyncPaid, sessionOf(asyncPaid), "complete", "paid", "pi_async_ok", TOTAL)));
        UUID asyncFailed = idOf(openCheckout());
        deliver(event(newEventId(), "checkout.session.async_payment_failed",
                session(asyncFailed, sessionOf(asyncFailed), "complete", "unpaid", "pi_async_no", TOTAL)));
        UUID declined = idOf(openCheckout());
        deliver(event(newEventId(), "payment_intent.payment_failed",
                StripePayloads.failedPaymentIntent(declined, "pi_declined")));

        awaitStatus(asyncPaid, "PAID");
        awaitStatus(asyncFailed, "FAILED");
        await(declined, "PaymentAttemptFailedEvent");
        // Neither an unpaid completion (a bank debit still to settle) nor a declined card ends the checkout.
        assertThat(awaitStatus(unpaid, "OPEN").path("version").asLong()).isEqualTo(1);
        assertThat(awaitStatus(declined, "OPEN").path("version").asLong()).isEqualTo(2);
    }

    @Test
    void shouldRecordARefundMadeInStripesDashboardFromChargeRefundedOnce() {
        UUID id = idOf(openCheckout());
        deliver(completed(newEventId(), id, "paid", "pi_dashboard_" + id));
        awaitStatus(id, "PAID");
        String payload = event(newEventId(), "charge.refunded", StripePayloads.refundedCharge("pi_dashboard_" + id, 2000,
                List.of(StripePayloads.refund(null, null, "re_dashboard_" + id, "pi_dashboard_" + id, 2000, "succeeded"))));

        deliver(payload);
        deliver(payload);
        // The refund's own refund.updated names the same Stripe refund: still one.
        deliver(event(newEventId(), "refund.updated",
                StripePayloads.refund(null, null, "re_dashboard_" + id, "pi_dashboard_" + id, 2000, "succeeded")));

        JsonNode view = awaitStatus(id, "PARTIALLY_REFUNDED");
        assertThat(view.path("refundedAmount").asLong()).isEqualTo(2000);
        assertThat(eventsOf(id, "RefundRecordedEvent")).isEqualTo(1);
    }

    /**
     * A chargeback: shown on the transaction and in its history, no refund while it is open, and what it took back
     * refundable no more once lost.
     */
    @Test
    void shouldRecordADisputeRefuseRefundsWhileItIsOpenAndKeepWhatItTookBackOnceLost() {
        UUID id = idOf(openCheckout());
        String paymentIntent = "pi_disputed_" + id;
        String dispute = "dp_" + id;
        deliver(completed(newEventId(), id, "paid", paymentIntent));
        awaitStatus(id, "PAID");

        assertThat(deliver(event(newEventId(), "charge.dispute.created",
                StripePayloads.dispute(dispute, paymentIntent, 5000, "needs_response"))).statusCode()).isEqualTo(200);

        Api alice = as(DemoUsers.ALICE);
        JsonNode open = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> alice.get("/api/transactions/" + id).body(),
                body -> "OPEN".equals(body.path("disputes").path(0).path("status").asText()));
        assertThat(open.path("disputes")).hasSize(1);
        assertThat(open.path("disputes").get(0).path("disputeId").asText()).isEqualTo(dispute);
        assertThat(open.path("disputes").get(0).path("paymentIntentId").asText()).isEqualTo(paymentIntent);
        assertThat(open.path("disputes").get(0).path("amount").asLong()).isEqualTo(5000);
        assertThat(open.path("disputes").get(0).path("reason").asText()).isEqualTo("fraudulent");
        Api.Response refused = alice.post("/api/transactions/" + id + "/refunds", Map.of("amount", 100, "reason", "Goodwill"));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.text("code")).isEqualTo("payment-disputed");

        deliver(event(newEventId(), "charge.dispute.closed", StripePayloads.dispute(dispute, paymentIntent, 5000, "lost")));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> alice.get("/api/transactions/" + id)
                .body().path("disputes").path(0).path("status").asText(), "LOST"::equals);
        Api.Response tooMuch = alice.post("/api/transactions/" + id + "/refunds",
                Map.of("amount", TOTAL - 5000 + 1, "reason", "Goodwill"));
        assertThat(tooMuch.text("code")).as("what the dispute took back is gone").isEqualTo("refund-exceeds-remainder");
        assertThat(eventsOf(id, "PaymentDisputedEvent")).isEqualTo(1);
        assertThat(eventsOf(id, "DisputeClosedEvent")).isEqualTo(1);
        assertThat(alice.get("/api/transactions/" + id + "/history").body().path("entries").toString())
                .contains("{\"field\":\"disputeStatus\",\"from\":null,\"to\":\"OPEN\"}",
                        "{\"field\":\"disputeStatus\",\"from\":null,\"to\":\"LOST\"}");
    }

    @Test
    void shouldSettleARefundWhoseWebhookArrivesBeforeTheRefundIsRecordedAsSubmitted() {
        UUID id = idOf(openCheckout());
        deliver(completed(newEventId(), id, "paid", "pi_early_" + id));
        awaitStatus(id, "PAID");
        UUID refundId = UUID.randomUUID();
        Actor alice = new Actor(DemoUsers.ALICE_ID, Actor.Role.DOCTOR, Set.of(DemoUsers.RIVERSIDE));
        commands.sendAndWait(new RequestRefundCommand(id, refundId, 3000, "Stock returned"), MetaData.from(alice.metaData()));

        // Stripe made the refund and told of it before the answer to the request was recorded.
        assertThat(deliver(event(newEventId(), "refund.updated",
                StripePayloads.refund(id, refundId, "re_early_1", "pi_early_" + id, 3000, "succeeded"))).statusCode())
                .isEqualTo(200);
        RefundStatus afterSubmit = commands.sendAndWait(new SubmitRefundCommand(id, refundId),
                MetaData.from(alice.metaData()));

        assertThat(afterSubmit).isEqualTo(RefundStatus.SUCCEEDED);
        JsonNode view = awaitStatus(id, "PARTIALLY_REFUNDED");
        assertThat(view.path("refundedAmount").asLong()).isEqualTo(3000);
        assertThat(jdbc.queryForObject("select count(*) from sandbox_refund where transaction_id = ?", Integer.class, id))
                .as("no second refund at Stripe").isZero();
        System.out.printf("stripe chaos, refund webhook before the refund's answer: settled %s, refunded %d,"
                + " refunds made again at Stripe: 0%n", afterSubmit, view.path("refundedAmount").asLong());
    }

    @Test
    void shouldMakeTheAmountOfAFailedRefundRefundableAgain() {
        UUID id = idOf(openCheckout());
        deliver(completed(newEventId(), id, "paid", "pi_fail_" + id));
        awaitStatus(id, "PAID");
        UUID refundId = UUID.randomUUID();
        Actor alice = new Actor(DemoUsers.ALICE_ID, Actor.Role.DOCTOR, Set.of(DemoUsers.RIVERSIDE));
        commands.sendAndWait(new RequestRefundCommand(id, refundId, TOTAL, "All of it"), MetaData.from(alice.metaData()));

        assertThat(deliver(event(newEventId(), "refund.failed",
                StripePayloads.refund(id, refundId, "re_fails_1", "pi_fail_" + id, TOTAL, "failed"))).statusCode())
                .isEqualTo(200);

        JsonNode view = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> as(DemoUsers.ALICE).get("/api/transactions/" + id).body(),
                        body -> "FAILED".equals(body.path("refunds").path(0).path("status").asText()));
        assertThat(view.path("status").asText()).isEqualTo("PAID");
        assertThat(view.path("pendingRefundAmount").asLong()).isZero();
        assertThat(as(DemoUsers.ALICE).post("/api/transactions/" + id + "/refunds",
                java.util.Map.of("amount", TOTAL, "reason", "Again")).status()).as("the whole amount is refundable again")
                .isIn(201, 202);
    }

    /**
     * A session made at Stripe with this transaction's metadata (a Payment Link, say), paid for a penny: recorded
     * for an operator, once, and the transaction stays open until its own checkout is paid.
     */
    @Test
    void shouldNotMarkTheTransactionPaidByAPaymentOfAnotherAmount() {
        UUID id = idOf(openCheckout());
        String onePenny = event(newEventId(), "checkout.session.completed",
                session(id, "cs_elsewhere_" + id, "complete", "paid", "pi_penny_" + id, 1));

        assertThat(deliver(onePenny).statusCode()).isEqualTo(200);
        await(id, "PaymentMismatchedEvent");
        assertThat(deliver(event(newEventId(), "checkout.session.completed",
                session(id, "cs_elsewhere_" + id, "complete", "paid", "pi_penny_" + id, 1))).statusCode()).isEqualTo(200);

        JsonNode history = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> as(DemoUsers.ALICE).get("/api/transactions/" + id + "/history").body(),
                        body -> body.path("entries").findValuesAsText("type").contains("PaymentMismatched"));
        JsonNode mismatch = history.path("entries").get(history.path("entries").size() - 1);
        assertThat(mismatch.path("type").asText()).isEqualTo("PaymentMismatched");
        assertThat(mismatch.path("changes").toString()).contains("pi_penny_" + id, "cs_elsewhere_" + id, "\"to\":\"1\"");
        assertThat(as(DemoUsers.ALICE).get("/api/transactions/" + id).body().path("status").asText()).isEqualTo("OPEN");
        assertThat(eventsOf(id, "PaymentMismatchedEvent")).isEqualTo(1);

        deliver(completed(newEventId(), id, "paid"));
        assertThat(awaitStatus(id, "PAID").path("refundedAmount").asLong()).isZero();
    }

    /**
     * Stripe can fail a refund after it succeeded (a closed card) and tells of it twice, by refund.updated and
     * refund.failed: the money is back in the account, so the transaction is paid in full again, once.
     */
    @Test
    void shouldReverseRefundsThatFailedAfterTheySucceededAndMakeTheirAmountRefundableAgain() {
        UUID id = idOf(openCheckout());
        String paymentIntent = "pi_reversed_" + id;
        deliver(completed(newEventId(), id, "paid", paymentIntent));
        awaitStatus(id, "PAID");
        UUID refundId = UUID.randomUUID();
        Actor alice = new Actor(DemoUsers.ALICE_ID, Actor.Role.DOCTOR, Set.of(DemoUsers.RIVERSIDE));
        commands.sendAndWait(new RequestRefundCommand(id, refundId, 3000, "Stock returned"), MetaData.from(alice.metaData()));
        deliver(event(newEventId(), "refund.updated",
                StripePayloads.refund(id, refundId, "re_ours_" + id, paymentIntent, 3000, "succeeded")));
        deliver(event(newEventId(), "refund.created",
                StripePayloads.refund(null, null, "re_dashboard_" + id, paymentIntent, 2000, "succeeded")));
        assertThat(awaitStatus(id, "PARTIALLY_REFUNDED").path("refundedAmount").asLong()).isEqualTo(5000);

        for (String stripeRefund : List.of("re_ours_" + id, "re_dashboard_" + id)) {
            for (String type : List.of("refund.updated", "refund.failed")) {
                assertThat(deliver(event(newEventId(), type, StripePayloads.refund(null, null, stripeRefund, paymentIntent,
                        stripeRefund.startsWith("re_ours") ? 3000 : 2000, "failed"))).statusCode()).isEqualTo(200);
            }
        }

        JsonNode view = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> as(DemoUsers.ALICE).get("/api/transactions/" + id).body(),
                        body -> "PAID".equals(body.path("status").asText()));
        assertThat(view.path("refundedAmount").asLong()).isZero();
        assertThat(view.path("refunds").findValuesAsText("status")).containsExactly("FAILED", "FAILED");
        assertThat(eventsOf(id, "RefundReversedEvent")).isEqualTo(2);
        JsonNode history = as(DemoUsers.ALICE).get("/api/transactions/" + id + "/history").body();
        assertThat(history.path("entries").findValuesAsText("type")).filteredOn("RefundReversed"::equals).hasSize(2);
        assertThat(as(DemoUsers.ALICE).post("/api/transactions/" + id + "/refunds", Map.of("amount", TOTAL, "reason",
                "Again")).status()).as("the whole amount is refundable again").isIn(201, 202);
    }

    /**
     * Stripe does not deliver in order: a refund made in the dashboard failed, and its refund.failed came before the
     * older refund.created whose snapshot said succeeded. Stripe never gave the money back: nothing is counted.
     */
    @Test
    void shouldNotCountARefundMadeInStripesDashboardWhoseFailureIsToldBeforeItsSuccess() {
        UUID id = idOf(openCheckout());
        String paymentIntent = "pi_failed_first_" + id;
        String stripeRefund = "re_failed_first_" + id;
        deliver(completed(newEventId(), id, "paid", paymentIntent));
        awaitStatus(id, "PAID");

        List<Integer> statuses = List.of(
                deliver(event(newEventId(), "refund.failed",
                        StripePayloads.refund(null, null, stripeRefund, paymentIntent, 2000, "failed"))).statusCode(),
                deliver(event(newEventId(), "refund.created",
                        StripePayloads.refund(null, null, stripeRefund, paymentIntent, 2000, "succeeded"))).statusCode());

        assertThat(statuses).containsOnly(200);
        assertThat(eventsOf(id, "RefundRecordedEvent")).isZero();
        assertThat(eventsOf(id, "FailedRefundRecordedEvent")).isEqualTo(1);
        JsonNode view = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> as(DemoUsers.ALICE).get("/api/transactions/" + id).body(),
                        body -> "FAILED".equals(body.path("refunds").path(0).path("status").asText()));
        assertThat(view.path("status").asText()).isEqualTo("PAID");
        assertThat(view.path("refundedAmount").asLong()).isZero();
        assertThat(view.path("refunds").findValuesAsText("stripeRefundId")).containsExactly(stripeRefund);
        JsonNode history = as(DemoUsers.ALICE).get("/api/transactions/" + id + "/history").body();
        assertThat(history.path("entries").findValuesAsText("type")).contains("FailedRefundRecorded")
                .doesNotContain("RefundRecorded");
        assertThat(as(DemoUsers.ALICE).post("/api/transactions/" + id + "/refunds", Map.of("amount", TOTAL, "reason",
                "All of it")).status()).as("the whole amount is refundable").isIn(201, 202);
    }

    /**
     * A Payment Link paid a penny with this transaction's metadata and an operator refunded it in the dashboard; Stripe
     * told of the refund before either payment. Once the penny is known not to be the transaction's payment, its refund
     * does not count against the transaction's own.
     */
    @Test
    void shouldNotCountARefundToldBeforeItsPaymentOnceThatPaymentIsKnownNotToBeTheTransactions() {
        UUID id = idOf(openCheckout());
        String penny = "pi_penny_first_" + id;
        deliver(event(newEventId(), "charge.refunded", StripePayloads.refundedCharge(id, penny, 1,
                List.of(StripePayloads.refund(null, null, "re_penny_" + id, penny, 1, "succeeded")))));
        deliver(event(newEventId(), "checkout.session.completed",
                session(id, "cs_link_" + id, "complete", "paid", penny, 1)));
        deliver(completed(newEventId(), id, "paid"));

        assertThat(eventsOf(id, "RefundRecordedEvent")).isEqualTo(1);
        assertThat(eventsOf(id, "PaymentMismatchedEvent")).isEqualTo(1);
        assertThat(eventsOf(id, "RefundExcludedEvent")).isEqualTo(1);
        JsonNode view = awaitStatus(id, "PAID");
        assertThat(view.path("refundedAmount").asLong()).isZero();
        assertThat(view.path("refunds")).isEmpty();
        JsonNode history = as(DemoUsers.ALICE).get("/api/transactions/" + id + "/history").body();
        assertThat(history.path("entries").findValuesAsText("type"))
                .containsSubsequence("RefundRecorded", "PaymentMismatched", "RefundExcluded", "PaymentSucceeded");
    }

    @Test
    void shouldAcknowledgeUnknownTypesAndUnknownTransactionsWithoutApplyingThem() {
        double before = meters.counter("nhsv2.stripe.webhook.unknown.transactions").count();

        assertThat(deliver(event(newEventId(), "customer.created", java.util.Map.of("id", "cus_1", "object", "customer")))
                .statusCode()).isEqualTo(200);
        UUID nobody = UUID.randomUUID();
        assertThat(deliver(completed(newEventId(), nobody, "paid", "pi_nobody")).statusCode()).isEqualTo(200);

        assertThat(meters.counter("nhsv2.stripe.webhook.unknown.transactions").count()).isEqualTo(before + 1);
        assertThat(eventsOf(nobody)).isZero();
        System.out.printf("stripe chaos, unknown transaction: 1 verified event about no transaction of ours answered 200,"
                + " counted %.0f, %d events stored for it%n", meters.counter("nhsv2.stripe.webhook.unknown.transactions")
                .count() - before, eventsOf(nobody));
    }

    private String completed(String eventId, UUID id, String paymentStatus) {
        return completed(eventId, id, paymentStatus, "pi_test_" + id);
    }

    private String completed(String eventId, UUID id, String paymentStatus, String paymentIntentId) {
        String session = id == null || jdbc.queryForList("select 1 from transaction_view where transaction_id = ?", id)
                .isEmpty() ? "cs_test_unknown" : sessionOf(id);
        return event(eventId, "checkout.session.completed", session(id, session, "complete", paymentStatus,
                paymentIntentId, TOTAL));
    }

    private String expired(UUID id) {
        return event(newEventId(), "checkout.session.expired", session(id, sessionOf(id), "expired", "unpaid", null, TOTAL));
    }

    private static String signature(String payload, String secret, long at) {
        try {
            return com.stripe.net.Webhook.Signature.generateSignatureHeader(payload, secret, at);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private int eventsOf(UUID id) {
        return jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier = ?", Integer.class,
                id.toString());
    }

    private int eventsOf(UUID id, String type) {
        return jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier = ?"
                + " and payload_type like ?", Integer.class, id.toString(), "%." + type);
    }

    private void await(UUID id, String type) {
        await(id, type, 1);
    }

    private void await(UUID id, String type, int count) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> eventsOf(id, type) == count);
    }
}
