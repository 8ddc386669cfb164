package org.nhsv2.payment;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.springframework.test.context.DynamicPropertyRegistry;

import java.time.Instant;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * WireMock playing Stripe's API for a test class whose service has a Stripe key: stripe-java talks to it
 * with a short read timeout and no retries of its own, so each fault a test injects reaches the service.
 */
public final class WireMockStripe {

    public static final String SESSIONS = "/v1/checkout/sessions";
    public static final String REFUNDS = "/v1/refunds";
    /** The webhook's signing secret with a Stripe key: not the local profile's fake one, which the service refuses. */
    public static final String WEBHOOK_SECRET = "whsec_test_wiremock_webhook_secret_0000000";
    /** Beyond the client's read timeout ({@link #register}). */
    public static final int SLOWER_THAN_THE_CLIENT = 9000;

    private final WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort());

    public WireMockStripe() {
        server.start();
    }

    public WireMockServer server() {
        return server;
    }

    /** Points the service's Stripe client here. */
    public void register(DynamicPropertyRegistry registry) {
        registry.add("nhsv2.stripe.secret-key", () -> "sk_test_fake_for_wiremock");
        registry.add("nhsv2.stripe.webhook-secret", () -> WEBHOOK_SECRET);
        registry.add("nhsv2.stripe.api-base", server::baseUrl);
        // Long enough for a busy machine to answer in time, short enough for a test to wait out.
        registry.add("nhsv2.stripe.read-timeout", () -> "4s");
        registry.add("nhsv2.stripe.max-network-retries", () -> "0");
    }

    public void stop() {
        server.stop();
    }

    /**
     * POSTs to {@code path} answered with {@code faults} in turn, then with {@code then} for good: each
     * request moves the scenario one step, so the service meets every fault once.
     */
    public void stubInTurn(String path, List<ResponseDefinitionBuilder> faults, ResponseDefinitionBuilder then) {
        String scenario = "faults " + path;
        String state = Scenario.STARTED;
        for (int i = 0; i < faults.size(); i++) {
            String next = "after fault " + (i + 1);
            server.stubFor(post(urlEqualTo(path)).inScenario(scenario).whenScenarioStateIs(state)
                    .willReturn(faults.get(i)).willSetStateTo(next));
            state = next;
        }
        server.stubFor(post(urlEqualTo(path)).inScenario(scenario).whenScenarioStateIs(state).willReturn(then));
    }

    public List<LoggedRequest> posts(String path) {
        return server.findAll(postRequestedFor(urlEqualTo(path)));
    }

    public static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    public static String error(String type, String message) {
        return "{\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\"}}";
    }

    /** An open Checkout Session, as Stripe answers its creation. */
    public static String session(String id) {
        long expires = Instant.now().plusSeconds(1800).getEpochSecond();
        return """
                {"id":"%s","object":"checkout.session","mode":"payment","status":"open","payment_status":"unpaid",
                 "url":"https://checkout.stripe.com/c/pay/%s","expires_at":%d,"amount_total":7000,"currency":"gbp"}"""
                .formatted(id, id, expires);
    }

    /** A refund, as Stripe answers its creation. */
    public static String refund(String id, String paymentIntentId, long amount, String status) {
        return """
                {"id":"%s","object":"refund","amount":%d,"currency":"gbp","payment_intent":"%s","status":"%s"}"""
                .formatted(id, amount, paymentIntentId, status);
    }
}
