package org.nhsv2.payment.reconciliation;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.Fault;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nhsv2.contracts.EmailTemplate;
import org.nhsv2.payment.PaymentIntegrationTest;
import org.nhsv2.payment.StripePayloads;
import org.nhsv2.payment.TestBroker;
import org.nhsv2.payment.WireMockStripe;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.DemoUsers;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.nhsv2.payment.StripePayloads.event;
import static org.nhsv2.payment.StripePayloads.newEventId;

/**
 * Stripe, played by WireMock, failing in every way a call can fail (an error, a reset connection, no answer
 * in time) while it may well have done what was asked: without an answer the service repeats the same request
 * under the same idempotency key until Stripe answers; after an error Stripe keeps under the key it looks for
 * the refund at Stripe before a new key; reconciliation finds out what no answer or webhook told, and nothing
 * is refunded twice.
 */
@DirtiesContext // closed after its tests: its processors would go on beside the main context's (one node id), emailing twice
@TestPropertySource(properties = {
        "nhsv2.reconciliation.interval=1h", // the tests run the sweep themselves
        "nhsv2.reconciliation.pending-refund-grace=" + LostStripeAnswersIT.PENDING_REFUND_GRACE_MINUTES + "m"})
class LostStripeAnswersIT extends PaymentIntegrationTest {

    /** Shorter than the service's hour, so the tests move the clock less far past it. */
    static final int PENDING_REFUND_GRACE_MINUTES = 10;
    private static final WireMockStripe STRIPE = new WireMockStripe();
    private static final long TOTAL = 7000;

    @Autowired
    private ReconciliationSettings settings;
    @Autowired
    private OverdueTransactions overdue;
    @Autowired
    private CommandGateway commands;

    @DynamicPropertySource
    static void stripe(DynamicPropertyRegistry registry) {
        STRIPE.register(registry);
    }

    @AfterAll
    static void stopStripe() {
        STRIPE.stop();
    }

    @BeforeEach
    void resetStripe() {
        STRIPE.server().resetAll();
    }

    /** No answer each time (Stripe may have made it): every try repeats the same refund under its one key. */
    @Test
    void shouldRefundOnceUnderOneKeyThroughAResetConnectionATimeoutAndNoAnswerThenReconciliation() {
        String paymentIntent = "pi_chaos_" + UUID.randomUUID().toString().replace("-", "");
        UUID id = paidThroughWebhook("cs_test_refund_chaos", paymentIntent);
        String stripeRefund = "re_chaos_" + id.toString().replace("-", "");
        String made = WireMockStripe.refund(stripeRefund, paymentIntent, 2500, "succeeded");
        // Stripe fails each request in another way, then stays unreachable: each of the doctor's tries is "pending".
        STRIPE.stubInTurn(WireMockStripe.REFUNDS, List.of(
                aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
                WireMockStripe.json(200, made).withFixedDelay(WireMockStripe.SLOWER_THAN_THE_CLIENT)),
                aResponse().withFault(Fault.EMPTY_RESPONSE));
        Api alice = as(DemoUsers.ALICE);
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
        Map<String, Object> body = Map.of("amount", 2500, "reason", "One pack returned");

        List<Api.Response> answers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            answers.add(alice.post("/api/transactions/" + id + "/refunds", body, key));
        }
        assertThat(answers).extracting(Api.Response::status).containsExactly(202, 202, 202);
        String refundId = answers.get(0).header("Refund-Id").orElseThrow();
        assertThat(answers).allSatisfy(answer -> assertThat(answer.header("Refund-Id")).hasValue(refundId));
        assertThat(pendingRefund(id)).as("requested, and counted as taken, while Stripe's answer is unknown")
                .isEqualTo(2500);
        int whileDown = STRIPE.posts(WireMockStripe.REFUNDS).size();
        STRIPE.server().stubFor(post(urlEqualTo(WireMockStripe.REFUNDS)).atPriority(1).willReturn(WireMockStripe.json(200, made)));

        // The sweep finds the refund still unsubmitted past its grace and submits it again: Stripe answers.
        clock.advance(settings.refundGrace().plusMinutes(1));
        int swept = ReconciliationSweep.sweep(settings, overdue, commands, clock);
        JsonNode refunded = awaitStatus(id, "PARTIALLY_REFUNDED");
        // The doctor's retry and Stripe's late webhook change nothing more.
        Api.Response again = alice.post("/api/transactions/" + id + "/refunds", body, key);
        assertThat(deliver(event(newEventId(), "refund.updated", StripePayloads.refund(id, UUID.fromString(refundId),
                stripeRefund, paymentIntent, 2500, "succeeded"))).statusCode()).isEqualTo(200);

        assertThat(swept).isGreaterThanOrEqualTo(1);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.header("Refund-Id")).hasValue(refundId);
        List<String> keys = STRIPE.posts(WireMockStripe.REFUNDS).stream()
                .map(request -> request.getHeader("Idempotency-Key")).toList();
        assertThat(whileDown).as("each fault met").isGreaterThanOrEqualTo(3);
        assertThat(keys).as("each try the same refund under its one key").hasSize(whileDown + 1)
                .containsOnly("refund-" + refundId);
        int succeeded = events(id, "RefundSucceededEvent");
        assertThat(succeeded).isEqualTo(1);
        JsonNode view = awaitStatus(id, "PARTIALLY_REFUNDED");
        assertThat(view.path("refundedAmount").asLong()).isEqualTo(2500);
        assertThat(view.path("pendingRefundAmount").asLong()).isZero();
        assertThat(view.path("refunds")).hasSize(1);
        assertThat(view.path("refunds").get(0).path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(refunded.path("refunds").get(0).path("stripeRefundId").asText()).isEqualTo(stripeRefund);
        System.out.printf("stripe chaos, refund creation: %d refund requests (one key), faults injected: connection"
                        + " reset, %d ms delay, then no answer until the sweep (%d transaction(s) swept); %d refund POSTs to Stripe"
                        + " under %d key(s), %d refund recorded, refunded %d of %d%n", answers.size() + 1,
                WireMockStripe.SLOWER_THAN_THE_CLIENT, swept,
                keys.size(), keys.stream().distinct().count(), succeeded, view.path("refundedAmount").asLong(), TOTAL);
    }

    /**
     * Stripe answered the refund 500 and keeps that answer under its key for 24 hours (played here by matching the key);
     * it made no refund. The next try finds none of ours among the payment's refunds at Stripe, and only then refunds
     * under the refund's next key: once.
     */
    @Test
    void shouldRefundOnceUnderANewKeyWhenStripeKeptA500UnderTheFirstAndHoldsNoRefund() {
        String paymentIntent = "pi_kept_" + UUID.randomUUID().toString().replace("-", "");
        UUID id = paidThroughWebhook("cs_test_refund_kept", paymentIntent);
        String stripeRefund = "re_kept_" + id.toString().replace("-", "");
        stubRefundKeptA500UnderItsFirstKey(WireMockStripe.refund(stripeRefund, paymentIntent, 2500, "succeeded"));
        stubRefundsOf(paymentIntent, "");
        Api alice = as(DemoUsers.ALICE);
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
        Map<String, Object> body = Map.of("amount", 2500, "reason", "One pack returned");

        Api.Response kept = alice.post("/api/transactions/" + id + "/refunds", body, key);
        Api.Response retried = alice.post("/api/transactions/" + id + "/refunds", body, key);

        assertThat(kept.status()).as("not known whether Stripe made it").isEqualTo(202);
        assertThat(retried.status()).isEqualTo(201);
        String refundId = kept.header("Refund-Id").orElseThrow();
        assertThat(STRIPE.posts(WireMockStripe.REFUNDS)).extracting(request -> request.getHeader("Idempotency-Key"))
                .containsExactly("refund-" + refundId, "refund-" + refundId + ":2");
        assertThat(STRIPE.server().findAll(getRequestedFor(urlPathEqualTo(WireMockStripe.REFUNDS)))).hasSize(1);
        assertThat(events(id, "RefundAttemptFailedEvent")).isEqualTo(1);
        assertThat(events(id, "RefundSucceededEvent")).isEqualTo(1);
        JsonNode view = awaitStatus(id, "PARTIALLY_REFUNDED");
        assertThat(view.path("refundedAmount").asLong()).isEqualTo(2500);
        assertThat(view.path("refunds").get(0).path("stripeRefundId").asText()).isEqualTo(stripeRefund);
        System.out.println("stripe chaos, 500 kept under the refund's key, no refund made: 2 refund requests (202, 201),"
                + " Stripe's refunds searched once, 2 refund POSTs under 2 keys, 1 refund made");
    }

    /**
     * Stripe made the refund, and answered 500 all the same, which it keeps under the key. The sweep finds the refund
     * among the payment's refunds by its refund id and records it; no second refund is asked for.
     */
    @Test
    void shouldRecordTheRefundStripeMadeDespiteA500WithoutRefundingAgain() {
        String paymentIntent = "pi_made_" + UUID.randomUUID().toString().replace("-", "");
        UUID id = paidThroughWebhook("cs_test_refund_made", paymentIntent);
        String stripeRefund = "re_made_" + id.toString().replace("-", "");
        stubRefundKeptA500UnderItsFirstKey(WireMockStripe.refund("re_second_" + id.toString().replace("-", ""),
                paymentIntent, 2500, "succeeded"));
        Api.Response kept = as(DemoUsers.ALICE).post("/api/transactions/" + id + "/refunds",
                Map.of("amount", 2500, "reason", "One pack returned"), Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        assertThat(kept.status()).isEqualTo(202);
        String refundId = kept.header("Refund-Id").orElseThrow();
        stubRefundsOf(paymentIntent, """
                {"id":"%s","object":"refund","amount":2500,"currency":"gbp","payment_intent":"%s","status":"succeeded",
                 "metadata":{"refund_id":"%s","transaction_id":"%s"}}""".formatted(stripeRefund, paymentIntent, refundId, id));

        clock.advance(settings.refundGrace().plusMinutes(1));
        ReconciliationSweep.sweep(settings, overdue, commands, clock);

        JsonNode view = awaitStatus(id, "PARTIALLY_REFUNDED");
        assertThat(view.path("refundedAmount").asLong()).isEqualTo(2500);
        assertThat(view.path("refunds").get(0).path("stripeRefundId").asText()).isEqualTo(stripeRefund);
        assertThat(STRIPE.posts(WireMockStripe.REFUNDS)).as("one refund asked for, under its first key").hasSize(1);
        assertThat(events(id, "RefundSucceededEvent")).isEqualTo(1);
        System.out.println("stripe chaos, refund made but answered 500 (kept under its key): the sweep found it among the"
                + " payment's refunds; 1 refund POST, 1 refund made");
    }

    /**
     * A refund made in Stripe's dashboard (no metadata of ours) told before the payment was applied: the intent it
     * refunds names the transaction at Stripe. Asked while Stripe is down, the event is refused so that Stripe
     * delivers it again; before, it was acknowledged as unknown and lost.
     */
    @Test
    void shouldRecordADashboardRefundToldBeforeThePaymentByAskingStripeWhoseIntentItRefunds() {
        STRIPE.stubInTurn(WireMockStripe.SESSIONS, List.of(),
                WireMockStripe.json(200, WireMockStripe.session("cs_test_refund_first")));
        UUID id = idOf(openCheckout());
        String paymentIntent = "pi_refund_first_" + id.toString().replace("-", "");
        String intentPath = "/v1/payment_intents/" + paymentIntent;
        String refundEvent = event(newEventId(), "refund.created", StripePayloads.refund(null, null,
                "re_dashboard_" + id.toString().replace("-", ""), paymentIntent, 2000, "succeeded"));
        STRIPE.server().stubFor(get(urlPathEqualTo(intentPath))
                .willReturn(WireMockStripe.json(500, WireMockStripe.error("api_error", "Something went wrong"))));

        assertThat(deliver(refundEvent).statusCode()).as("Stripe cannot tell: deliver it again").isEqualTo(503);
        STRIPE.server().stubFor(get(urlPathEqualTo(intentPath)).willReturn(WireMockStripe.json(200,
                "{\"id\":\"" + paymentIntent + "\",\"object\":\"payment_intent\",\"amount\":" + TOTAL
                        + ",\"currency\":\"gbp\",\"status\":\"succeeded\",\"metadata\":{\"transaction_id\":\"" + id + "\"}}")));
        assertThat(deliver(refundEvent).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> events(id, "RefundRecordedEvent") == 1);
        deliver(event(newEventId(), "checkout.session.completed", StripePayloads.session(id, "cs_test_refund_first",
                "complete", "paid", paymentIntent, TOTAL)));

        JsonNode view = awaitStatus(id, "PARTIALLY_REFUNDED");
        assertThat(view.path("refundedAmount").asLong()).isEqualTo(2000);
        assertThat(STRIPE.server().findAll(getRequestedFor(urlPathEqualTo(intentPath)))).hasSize(2);
    }

    /** Stripe refuses (the charge was refunded in its dashboard, say): not a 201 a client could take for a refund. */
    @Test
    void shouldAnswer502WhenStripeRefusesTheRefundAndLeaveItsAmountRefundable() {
        UUID id = paidThroughWebhook("cs_test_refund_refused", "pi_refused_" + UUID.randomUUID().toString().replace("-", ""));
        STRIPE.stubInTurn(WireMockStripe.REFUNDS, List.of(), WireMockStripe.json(400,
                WireMockStripe.error("invalid_request_error", "Charge ch_1 has already been refunded.")));
        Api alice = as(DemoUsers.ALICE);
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
        Map<String, Object> body = Map.of("amount", 2500, "reason", "One pack returned");

        Api.Response refused = alice.post("/api/transactions/" + id + "/refunds", body, key);
        Api.Response again = alice.post("/api/transactions/" + id + "/refunds", body, key);

        for (Api.Response answer : List.of(refused, again)) {
            assertThat(answer.status()).isEqualTo(502);
            assertThat(answer.header("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                    .startsWith("application/problem+json"));
            assertThat(answer.body().path("code").asText()).isEqualTo("payment-provider-failed");
            assertThat(answer.body().path("transactionId").asText()).isEqualTo(id.toString());
        }
        assertThat(again.body().path("refundId").asText()).isEqualTo(refused.body().path("refundId").asText());
        assertThat(STRIPE.posts(WireMockStripe.REFUNDS)).as("the same key is the same refused refund").hasSize(1);
        JsonNode view = alice.get("/api/transactions/" + id).body();
        assertThat(view.path("status").asText()).isEqualTo("PAID");
        assertThat(view.path("pendingRefundAmount").asLong()).isZero();
        assertThat(view.path("refunds").get(0).path("status").asText()).isEqualTo("FAILED");
        assertThat(view.path("refunds").get(0).path("refundId").asText()).isEqualTo(refused.body().path("refundId").asText());
    }

    @Test
    void shouldApplyAPaymentWhoseWebhookWasLostOnceStripeAnswersTheSweep() {
        STRIPE.stubInTurn(WireMockStripe.SESSIONS, List.of(), WireMockStripe.json(200, WireMockStripe.session("cs_test_lost")));
        UUID id = idOf(openCheckout());
        String paymentIntent = "pi_lost_" + id.toString().replace("-", "");
        String sessionPath = WireMockStripe.SESSIONS + "/cs_test_lost";
        // Paid at Stripe, its webhook never came, and Stripe fails the first question about it.
        STRIPE.server().stubFor(get(urlPathEqualTo(sessionPath)).inScenario("lost").whenScenarioStateIs(STARTED)
                .willReturn(WireMockStripe.json(500, WireMockStripe.error("api_error", "Something went wrong")))
                .willSetStateTo("answering"));
        STRIPE.server().stubFor(get(urlPathEqualTo(sessionPath)).inScenario("lost").whenScenarioStateIs("answering")
                .willReturn(WireMockStripe.json(200, """
                        {"id":"cs_test_lost","object":"checkout.session","mode":"payment","status":"complete",
                         "payment_status":"paid","payment_intent":"%s","amount_total":%d,"currency":"gbp"}"""
                        .formatted(paymentIntent, TOTAL))));

        clock.advance(Duration.ofMinutes(31).plus(settings.openGrace()).plusMinutes(1));
        ReconciliationSweep.sweep(settings, overdue, commands, clock);
        String afterFailure = jdbc.queryForObject("select status from transaction_view where transaction_id = ?",
                String.class, id);
        ReconciliationSweep.sweep(settings, overdue, commands, clock);
        awaitStatus(id, "PAID");
        // Stripe's webhook, late after all.
        deliver(event(newEventId(), "checkout.session.completed", StripePayloads.session(id, "cs_test_lost", "complete",
                "paid", paymentIntent, TOTAL)));

        assertThat(afterFailure).as("Stripe's error leaves it open, to ask again").isEqualTo("OPEN");
        assertThat(jdbc.queryForObject("select payment_intent_id from transaction_view where transaction_id = ?",
                String.class, id)).isEqualTo(paymentIntent);
        int asked = STRIPE.server().findAll(getRequestedFor(urlPathEqualTo(sessionPath))).size();
        assertThat(asked).isEqualTo(2);
        int payments = events(id, "PaymentSucceededEvent");
        assertThat(payments).isEqualTo(1);
        assertThat(as(DemoUsers.ALICE).get("/api/transactions/" + id + "/history").body().path("entries").get(2)
                .path("cause").asText()).isEqualTo("reconciliation");
        System.out.printf("stripe chaos, lost webhook: 1 checkout paid without its webhook, 1 fault injected (500 on the"
                + " session read), Stripe asked %d times, %d payment recorded (cause reconciliation), late webhook added"
                + " nothing%n", asked, payments);
    }

    /**
     * Two refunds Stripe took as pending, whose webhooks never came (the endpoint down past Stripe's retries, or
     * misconfigured): once they have waited past the grace, the sweep asks Stripe, settles the one Stripe finished
     * as its webhook would have (once, cause reconciliation, a refund note), and leaves the one still pending
     * SUBMITTED, to ask again on the next sweep.
     */
    @Test
    void shouldSettleAPendingRefundWhoseWebhooksWereLostOnceTheSweepAsksStripe() {
        TestBroker.get(); // listening before the refund note is published
        String paymentIntent = "pi_pending_" + UUID.randomUUID().toString().replace("-", "");
        UUID id = paidThroughWebhook("cs_test_refund_pending", paymentIntent);
        String settles = "re_settles_" + id.toString().replace("-", "");
        String stays = "re_stays_" + id.toString().replace("-", "");
        STRIPE.stubInTurn(WireMockStripe.REFUNDS, List.of(
                        WireMockStripe.json(200, WireMockStripe.refund(settles, paymentIntent, 2500, "pending"))),
                WireMockStripe.json(200, WireMockStripe.refund(stays, paymentIntent, 1500, "pending")));
        Api alice = as(DemoUsers.ALICE);
        Api.Response first = alice.post("/api/transactions/" + id + "/refunds",
                Map.of("amount", 2500, "reason", "One pack returned"), Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        Api.Response second = alice.post("/api/transactions/" + id + "/refunds",
                Map.of("amount", 1500, "reason", "Consultation shortened"),
                Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        assertThat(List.of(first.status(), second.status())).containsExactly(201, 201);
        // Stripe finished the first; no webhook tells of it.
        STRIPE.server().stubFor(get(urlPathEqualTo(WireMockStripe.REFUNDS + "/" + settles))
                .willReturn(WireMockStripe.json(200, WireMockStripe.refund(settles, paymentIntent, 2500, "succeeded"))));
        STRIPE.server().stubFor(get(urlPathEqualTo(WireMockStripe.REFUNDS + "/" + stays))
                .willReturn(WireMockStripe.json(200, WireMockStripe.refund(stays, paymentIntent, 1500, "pending"))));

        clock.advance(Duration.ofMinutes(PENDING_REFUND_GRACE_MINUTES + 1));
        int swept = ReconciliationSweep.sweep(settings, overdue, commands, clock);
        JsonNode settled = awaitStatus(id, "PARTIALLY_REFUNDED");
        ReconciliationSweep.sweep(settings, overdue, commands, clock);
        // Stripe's webhook, late after all.
        assertThat(deliver(event(newEventId(), "refund.updated", StripePayloads.refund(id,
                UUID.fromString(first.header("Refund-Id").orElseThrow()), settles, paymentIntent, 2500, "succeeded")))
                .statusCode()).isEqualTo(200);

        assertThat(swept).isGreaterThanOrEqualTo(1);
        assertThat(settled.path("refundedAmount").asLong()).isEqualTo(2500);
        assertThat(settled.path("pendingRefundAmount").asLong()).as("the one still pending stays reserved").isEqualTo(1500);
        assertThat(refundStatus(settled, first)).isEqualTo("SUCCEEDED");
        assertThat(refundStatus(settled, second)).isEqualTo("SUBMITTED");
        assertThat(STRIPE.server().findAll(getRequestedFor(urlPathEqualTo(WireMockStripe.REFUNDS + "/" + settles))))
                .as("settled: not asked again").hasSize(1);
        assertThat(STRIPE.server().findAll(getRequestedFor(urlPathEqualTo(WireMockStripe.REFUNDS + "/" + stays))))
                .as("still pending: asked on each sweep").hasSize(2);
        assertThat(events(id, "RefundSucceededEvent")).isEqualTo(1);
        JsonNode view = alice.get("/api/transactions/" + id).body();
        assertThat(view.path("refundedAmount").asLong()).isEqualTo(2500);
        assertThat(refundStatus(view, second)).isEqualTo("SUBMITTED");
        JsonNode succeeded = entryOf(alice.get("/api/transactions/" + id + "/history").body(), "RefundSucceeded");
        assertThat(succeeded.path("cause").asText()).isEqualTo("reconciliation");
        assertThat(succeeded.path("stripeEventId").isNull()).isTrue();
        assertThat(awaitEmails(id, EmailTemplate.REFUND_NOTE, 1))
                .extracting(published -> published.email().model().get(EmailTemplate.AMOUNT)).containsOnly("2500");
        System.out.printf("stripe chaos, lost refund webhooks: 2 refunds Stripe took as pending, no webhook; 2 sweeps"
                + " asked Stripe: 1 SUCCEEDED once (cause reconciliation), 1 still pending left SUBMITTED; late webhook"
                + " added nothing%n");
    }

    private static String refundStatus(JsonNode view, Api.Response refunded) {
        String refundId = refunded.header("Refund-Id").orElseThrow();
        for (JsonNode refund : view.path("refunds")) {
            if (refundId.equals(refund.path("refundId").asText())) {
                return refund.path("status").asText();
            }
        }
        throw new AssertionError("no refund " + refundId + " in " + view);
    }

    private static JsonNode entryOf(JsonNode history, String type) {
        for (JsonNode entry : history.path("entries")) {
            if (type.equals(entry.path("type").asText())) {
                return entry;
            }
        }
        throw new AssertionError("no " + type + " in " + history);
    }

    /**
     * Stripe's 500 kept under a refund's first key, {@code refund-<id>}, and answered to each repeat of it; a later
     * attempt's key, {@code refund-<id>:<n>}, gets {@code made}.
     */
    private static void stubRefundKeptA500UnderItsFirstKey(String made) {
        STRIPE.server().stubFor(post(urlEqualTo(WireMockStripe.REFUNDS)).atPriority(2)
                .willReturn(WireMockStripe.json(500, WireMockStripe.error("api_error", "Something went wrong"))));
        STRIPE.server().stubFor(post(urlEqualTo(WireMockStripe.REFUNDS)).atPriority(1)
                .withHeader("Idempotency-Key", matching("refund-.+:[0-9]+"))
                .willReturn(WireMockStripe.json(200, made)));
    }

    /** The payment intent's refunds as Stripe lists them: {@code refunds} as the list's JSON items. */
    private static void stubRefundsOf(String paymentIntent, String refunds) {
        STRIPE.server().stubFor(get(urlPathEqualTo(WireMockStripe.REFUNDS)).withQueryParam("payment_intent",
                equalTo(paymentIntent)).willReturn(WireMockStripe.json(200,
                "{\"object\":\"list\",\"url\":\"/v1/refunds\",\"has_more\":false,\"data\":[" + refunds + "]}")));
    }

    /** The default checkout, opened at WireMock's Stripe and paid through a signed webhook. */
    private UUID paidThroughWebhook(String sessionId, String paymentIntent) {
        STRIPE.stubInTurn(WireMockStripe.SESSIONS, List.of(), WireMockStripe.json(200, WireMockStripe.session(sessionId)));
        UUID id = idOf(openCheckout());
        deliver(event(newEventId(), "checkout.session.completed", StripePayloads.session(id, sessionId, "complete", "paid",
                paymentIntent, TOTAL)));
        awaitStatus(id, "PAID");
        return id;
    }

    private long pendingRefund(UUID id) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> as(DemoUsers.ALICE).get("/api/transactions/" + id)
                .body().path("pendingRefundAmount").asLong(), amount -> amount > 0);
    }

    private int events(UUID id, String type) {
        return jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier = ?"
                + " and payload_type like ?", Integer.class, id.toString(), "%." + type);
    }
}
