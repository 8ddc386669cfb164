package org.nhsv2.payment.stripe;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nhsv2.payment.PaymentIntegrationTest;
import org.nhsv2.payment.WireMockStripe;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.DemoUsers;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service with a Stripe key, its stripe-java client pointed at WireMock playing Stripe: when
 * Stripe fails or does not answer, the client gets a 502 and the transaction stays without a
 * session; the same request again opens it, never twice: with the same Stripe idempotency key after no
 * answer, with a new one after an answer Stripe keeps under the key (a 500) or a refusal.
 */
@DirtiesContext // closed after its tests: its processors would go on beside the main context's (one node id), emailing twice
class StripeOutageIT extends PaymentIntegrationTest {

    private static final WireMockStripe STRIPE_API = new WireMockStripe();
    private static final WireMockServer STRIPE = STRIPE_API.server();

    @DynamicPropertySource
    static void stripe(DynamicPropertyRegistry registry) {
        STRIPE_API.register(registry);
    }

    @AfterAll
    static void stopStripe() {
        STRIPE_API.stop();
    }

    @BeforeEach
    void resetStripe() {
        STRIPE.resetAll();
    }

    /**
     * Stripe keeps its 500 under the key and answers every repeat of the key with it for 24 hours (played here by
     * matching the key): the retry opens under the transaction's next key.
     */
    @Test
    void shouldAnswer502OnAStripeErrorAndOpenTheSameTransactionOnRetryUnderANewStripeKey() {
        STRIPE.stubFor(post(urlEqualTo(WireMockStripe.SESSIONS)).atPriority(2)
                .willReturn(WireMockStripe.json(500, error("api_error", "Something went wrong"))));
        STRIPE.stubFor(post(urlEqualTo(WireMockStripe.SESSIONS)).atPriority(1)
                .withHeader("Idempotency-Key", matching(".+:[0-9]+"))
                .willReturn(WireMockStripe.json(200, session("cs_test_ok"))));
        Api alice = as(DemoUsers.ALICE);
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());

        Api.Response failed = alice.post("/api/checkouts", checkout(), key);

        assertThat(failed.status()).isEqualTo(502);
        assertThat(failed.text("code")).isEqualTo("payment-provider-failed");
        String transactionId = failed.text("transactionId");
        // A 502 answers without waiting for the read side (no reader waits on a checkout that did not open): the
        // kept transaction shows once its projection has it.
        awaitStatus(UUID.fromString(transactionId), "INITIATED");

        Api.Response retried = alice.post("/api/checkouts", checkout(), key);
        Api.Response again = alice.post("/api/checkouts", checkout(), key);

        assertThat(retried.status()).isEqualTo(201);
        assertThat(retried.text("transactionId")).isEqualTo(transactionId);
        assertThat(retried.text("checkoutUrl")).isEqualTo("https://checkout.stripe.com/c/pay/cs_test_ok");
        assertThat(again.text("checkoutUrl")).isEqualTo(retried.text("checkoutUrl"));
        assertThat(STRIPE_API.posts(WireMockStripe.SESSIONS)).extracting(request -> request.getHeader("Idempotency-Key"))
                .as("the key Stripe answered 500 is not repeated").containsExactly(transactionId, transactionId + ":2");
        System.out.println("stripe chaos, 500 kept under the session's key: 3 checkout requests (502, 201, 201), 2 session"
                + " POSTs under 2 keys, 1 session opened");
    }

    @Test
    void shouldAnswer502WhenStripeTimesOutAndNeverOpenASecondSession() {
        stubSessionCreation(aResponse().withStatus(200).withFixedDelay(WireMockStripe.SLOWER_THAN_THE_CLIENT).withBody(session("cs_test_slow")),
                aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(session("cs_test_slow")));
        Api alice = as(DemoUsers.ALICE);
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());

        Api.Response timedOut = alice.post("/api/checkouts", checkout(), key);
        assertThat(timedOut.status()).isEqualTo(502);
        Api.Response retried = alice.post("/api/checkouts", checkout(), key);
        Api.Response again = alice.post("/api/checkouts", checkout(), key);

        assertThat(retried.status()).isEqualTo(201);
        assertThat(again.text("checkoutUrl")).isEqualTo(retried.text("checkoutUrl"));
        STRIPE.verify(2, postRequestedFor(urlEqualTo("/v1/checkout/sessions"))
                .withHeader("Idempotency-Key", equalTo(timedOut.text("transactionId"))));
        assertThat(jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier = ?"
                + " and payload_type like '%CheckoutOpenedEvent'", Integer.class, timedOut.text("transactionId")))
                .isEqualTo(1);
        System.out.printf("stripe chaos, session creation timed out: 3 checkout requests (%d, %d, %d), 2 session POSTs"
                + " under 1 key, 1 session opened%n", timedOut.status(), retried.status(), again.status());
    }

    /**
     * A 500 Stripe keeps under the transaction's key ends the first attempt; the second attempt's key then meets a reset
     * connection and a timeout, after which Stripe may have made the session: those repeat the same key.
     */
    @Test
    void shouldOpenOneSessionAfterA500AResetConnectionAndATimeoutInTurn() {
        STRIPE_API.stubInTurn(WireMockStripe.SESSIONS, List.of(
                WireMockStripe.json(500, error("api_error", "Something went wrong")),
                aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
                WireMockStripe.json(200, session("cs_test_chaos")).withFixedDelay(WireMockStripe.SLOWER_THAN_THE_CLIENT)),
                WireMockStripe.json(200, session("cs_test_chaos")));
        Api alice = as(DemoUsers.ALICE);
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());

        List<Integer> statuses = new ArrayList<>();
        Api.Response answer;
        do {
            answer = alice.post("/api/checkouts", checkout(), key);
            statuses.add(answer.status());
        } while (answer.status() == 502 && statuses.size() < 10);

        // The JDK's HTTP client may send a POST whose connection was reset once more by itself (into the next
        // fault): then three requests meet the three faults.
        assertThat(statuses).hasSizeBetween(3, 4).endsWith(201);
        assertThat(statuses.subList(0, statuses.size() - 1)).containsOnly(502);
        String transactionId = answer.text("transactionId");
        assertThat(answer.text("checkoutUrl")).isEqualTo("https://checkout.stripe.com/c/pay/cs_test_chaos");
        List<String> keys = STRIPE_API.posts(WireMockStripe.SESSIONS).stream()
                .map(request -> request.getHeader("Idempotency-Key")).toList();
        assertThat(keys).as("the first attempt's key once, then the second attempt's until Stripe answered")
                .containsExactly(transactionId, transactionId + ":2", transactionId + ":2", transactionId + ":2");
        int opened = jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier = ?"
                + " and payload_type like '%CheckoutOpenedEvent'", Integer.class, transactionId);
        assertThat(opened).isEqualTo(1);
        assertThat(alice.get("/api/transactions/" + transactionId).text("status")).isEqualTo("OPEN");
        System.out.printf("stripe chaos, session creation: %d checkout requests, 3 faults injected (500, connection reset,"
                        + " %d ms delay), answers %s, %d session POSTs under %d key(s), %d session(s) opened%n",
                statuses.size(), WireMockStripe.SLOWER_THAN_THE_CLIENT, statuses, keys.size(), keys.stream().distinct().count(),
                opened);
    }

    @Test
    void shouldTryANewKeyAfterStripeRefusedTheRequest() {
        stubSessionCreation(aResponse().withStatus(400).withBody(error("invalid_request_error", "Invalid email")),
                aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(session("cs_test_2")));
        Api alice = as(DemoUsers.ALICE);
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());

        Api.Response refused = alice.post("/api/checkouts", checkout(), key);
        Api.Response retried = alice.post("/api/checkouts", checkout(), key);

        assertThat(refused.status()).isEqualTo(502);
        assertThat(refused.text("detail")).contains("HTTP 400").doesNotContain("sk_test");
        assertThat(retried.status()).isEqualTo(201);
        String transactionId = refused.text("transactionId");
        // Nothing was made under the refused key; Stripe keeps its answer for that key, so a new one is needed.
        STRIPE.verify(1, postRequestedFor(urlEqualTo("/v1/checkout/sessions"))
                .withHeader("Idempotency-Key", equalTo(transactionId)));
        STRIPE.verify(1, postRequestedFor(urlEqualTo("/v1/checkout/sessions"))
                .withHeader("Idempotency-Key", equalTo(transactionId + ":2")));
    }

    /**
     * Stripe made a session under the transaction's key, and the service lost its answer before storing it (killed,
     * its commit lost): the next try, with a fresh expiry, is not the key's first request. Stripe refuses the key with
     * other parameters for as long as it keeps it (a day); the retry moves to a new key and opens a session. The one
     * made under the old key was never shown to anyone and expires by itself.
     */
    @Test
    void shouldOpenUnderANewKeyWhenStripeKnowsTheTransactionsKeyWithOtherParameters() {
        STRIPE.stubFor(post(urlEqualTo(WireMockStripe.SESSIONS)).atPriority(2).willReturn(WireMockStripe.json(400,
                error("idempotency_error", "Keys for idempotent requests can only be used with the same parameters they"
                        + " were first used with. Try using a key other than the first one if you meant to execute a"
                        + " different request."))));
        STRIPE.stubFor(post(urlEqualTo(WireMockStripe.SESSIONS)).atPriority(1)
                .withHeader("Idempotency-Key", matching(".+:[0-9]+"))
                .willReturn(WireMockStripe.json(200, session("cs_test_new_key"))));
        Api alice = as(DemoUsers.ALICE);
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());

        Api.Response refused = alice.post("/api/checkouts", checkout(), key);
        Api.Response retried = alice.post("/api/checkouts", checkout(), key);

        assertThat(refused.status()).isEqualTo(502);
        assertThat(refused.text("code")).isEqualTo("payment-provider-failed");
        assertThat(retried.status()).as(retried.body().toString()).isEqualTo(201);
        String transactionId = refused.text("transactionId");
        assertThat(retried.text("transactionId")).isEqualTo(transactionId);
        assertThat(retried.text("checkoutUrl")).isEqualTo("https://checkout.stripe.com/c/pay/cs_test_new_key");
        STRIPE.verify(1, postRequestedFor(urlEqualTo(WireMockStripe.SESSIONS))
                .withHeader("Idempotency-Key", equalTo(transactionId)));
        STRIPE.verify(1, postRequestedFor(urlEqualTo(WireMockStripe.SESSIONS))
                .withHeader("Idempotency-Key", equalTo(transactionId + ":2")));
    }

    private static void stubSessionCreation(ResponseDefinitionBuilder first, ResponseDefinitionBuilder then) {
        STRIPE_API.stubInTurn(WireMockStripe.SESSIONS, List.of(first.withHeader("Content-Type", "application/json")), then);
    }

    private static String error(String type, String message) {
        return WireMockStripe.error(type, message);
    }

    private static String session(String id) {
        return WireMockStripe.session(id);
    }
}
