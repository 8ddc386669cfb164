package org.nhsv2.payment.stripe;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nhsv2.payment.PaymentIntegrationTest;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.DemoUsers;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service with a Stripe key, its stripe-java client pointed at WireMock playing Stripe: when
 * Stripe fails or does not answer, the client gets a 502 and the transaction stays without a
 * session; the same request again opens it, with the same Stripe idempotency key, never twice.
 */
@DirtiesContext // closed after its tests: its processors would go on beside the main context's (one node id), emailing twice
class StripeOutageIT extends PaymentIntegrationTest {

    private static final WireMockServer STRIPE = new WireMockServer(wireMockConfig().dynamicPort());

    static {
        STRIPE.start();
    }

    @DynamicPropertySource
    static void stripe(DynamicPropertyRegistry registry) {
        registry.add("nhsv2.stripe.secret-key", () -> "sk_test_fake_for_wiremock");
        registry.add("nhsv2.stripe.api-base", STRIPE::baseUrl);
        registry.add("nhsv2.stripe.read-timeout", () -> "1s");
        registry.add("nhsv2.stripe.max-network-retries", () -> "0");
    }

    @AfterAll
    static void stopStripe() {
        STRIPE.stop();
    }

    @BeforeEach
    void resetStripe() {
        STRIPE.resetAll();
    }

    @Test
    void shouldAnswer502OnAStripeErrorAndOpenTheSameTransactionOnRetryWithTheSameKey() {
        stubSessionCreation(aResponse().withStatus(500).withBody(error("api_error", "Something went wrong")),
                aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(session("cs_test_ok")));
        Api alice = as(DemoUsers.ALICE);
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());

        Api.Response failed = alice.post("/api/checkouts", checkout(), key);

        assertThat(failed.status()).isEqualTo(502);
        assertThat(failed.text("code")).isEqualTo("payment-provider-failed");
        String transactionId = failed.text("transactionId");
        assertThat(alice.get("/api/transactions/" + transactionId).text("status")).isEqualTo("INITIATED");

        Api.Response retried = alice.post("/api/checkouts", checkout(), key);

        assertThat(retried.status()).isEqualTo(201);
        assertThat(retried.text("transactionId")).isEqualTo(transactionId);
        assertThat(retried.text("checkoutUrl")).isEqualTo("https://checkout.stripe.com/c/pay/cs_test_ok");
        // A 5xx leaves Stripe's outcome unknown: the retry repeats the same request under the same key.
        STRIPE.verify(2, postRequestedFor(urlEqualTo("/v1/checkout/sessions"))
                .withHeader("Idempotency-Key", equalTo(transactionId)));
    }

    @Test
    void shouldAnswer502WhenStripeTimesOutAndNeverOpenASecondSession() {
        stubSessionCreation(aResponse().withStatus(200).withFixedDelay(3000).withBody(session("cs_test_slow")),
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

    private static void stubSessionCreation(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder first,
                                            com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder then) {
        STRIPE.stubFor(post(urlEqualTo("/v1/checkout/sessions")).inScenario("outage")
                .whenScenarioStateIs(Scenario.STARTED).willReturn(first.withHeader("Content-Type", "application/json"))
                .willSetStateTo("recovered"));
        STRIPE.stubFor(post(urlEqualTo("/v1/checkout/sessions")).inScenario("outage")
                .whenScenarioStateIs("recovered").willReturn(then));
    }

    private static String error(String type, String message) {
        return "{\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\"}}";
    }

    private static String session(String id) {
        long expires = java.time.Instant.now().plusSeconds(1800).getEpochSecond();
        return """
                {"id":"%s","object":"checkout.session","mode":"payment","status":"open","payment_status":"unpaid",
                 "url":"https://checkout.stripe.com/c/pay/%s","expires_at":%d,"amount_total":7000,"currency":"gbp"}"""
                .formatted(id, id, expires);
    }
}
