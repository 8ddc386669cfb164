package org.nhsv2.gateway;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;

import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class GatewaySecurityIT extends GatewayIntegrationTest {

    @LocalManagementPort
    int managementPort;

    @ParameterizedTest
    @ValueSource(strings = {"/api/appointments", "/api/products", "/api/mailbox", "/api/unknown", "/actuator/health",
            "/actuator/env"})
    void shouldAnswerUnauthorizedWithoutCallingTheServiceWhenNoTokenIsGiven(String path) {
        GatewayClient.Response response = gateway.get(path);

        response.assertProblem(401, "unauthenticated");
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(response.header("X-Request-Id")).isNotBlank();
        assertNoServiceCalled();
    }

    @Test
    void shouldAnswerUnauthorizedWhenTheTokenIsGarbage() {
        gateway.request("GET", "/api/appointments").header("Authorization", "Bearer not.a.jwt").send()
                .assertProblem(401, "unauthenticated");
        assertNoServiceCalled();
    }

    @Test
    void shouldAnswerUnauthorizedWhenTheTokenIsExpiredAndSignedByAnotherKey() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("forged").generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("forged").build(),
                new JWTClaimsSet.Builder().issuer("http://localhost:8180/realms/nhsv2").subject("someone")
                        .audience("nhsv2-api").expirationTime(Date.from(Instant.now().minusSeconds(3600))).build());
        jwt.sign(new RSASSASigner(key));

        gateway.request("GET", "/api/products").header("Authorization", "Bearer " + jwt.serialize()).send()
                .assertProblem(401, "unauthenticated");
        assertNoServiceCalled();
    }

    @Test
    void shouldAnswerUnauthorizedWhenARealTokenIsTamperedWith() {
        String[] parts = Tokens.of(Tokens.PATIENT).split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]));
        String forged = payload.replace("pat.one", "admin.ops");
        String token = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(forged.getBytes()) + "." + parts[2];

        gateway.request("GET", "/api/transactions").header("Authorization", "Bearer " + token).send()
                .assertProblem(401, "unauthenticated");
        assertNoServiceCalled();
    }

    @Test
    void shouldPassTheStripeWebhookAndSandboxWithoutAToken() {
        assertThat(gateway.request("POST", "/api/stripe/webhook").header("Stripe-Signature", "t=1,v1=abc").send().body())
                .isEqualTo("payment-service");
        assertThat(gateway.get("/sandbox/checkouts/c1").body()).isEqualTo("payment-service");
    }

    @Test
    void shouldLetAPageFormPostToItsOwnOrigin() {
        // Under Spring Security's default no-referrer, Chromium sends "Origin: null" with the checkout page's
        // Pay form, and CORS refuses an opaque origin: the patient could not pay.
        GatewayClient.Response page = gateway.get("/sandbox/checkout/cs_1");
        assertThat(page.raw().headers().firstValue("Referrer-Policy")).hasValue("same-origin");

        assertThat(gateway.request("POST", "/sandbox/checkout/cs_1/pay")
                .header("Origin", "http://localhost:" + port).send().body()).isEqualTo("payment-service");
        gateway.request("POST", "/sandbox/checkout/cs_1/pay").header("Origin", "null").send()
                .assertProblem(403, "cors-origin-refused");
    }

    /**
     * No browser sends these. Spring's same-origin check throws for the first two (a bad authority; a port too large
     * for an int, found only when the host is the gateway's own): a 500 with a stack trace, before any other check.
     */
    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:8080x", "http://localhost:99999999999", "http://a@b@c", "http://["})
    void shouldRefuseWithoutLoggingAnErrorWhenTheOriginDoesNotParse(String origin, CapturedOutput output) {
        gateway.request("GET", "/api/products").header("Origin", origin).send()
                .assertProblem(403, "cors-origin-refused");

        assertThat(output.getAll()).doesNotContain(" ERROR ");
        assertNoServiceCalled();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "GET, /api/appointments/../mailbox",
            "GET, /api/appointments/a1%2F..%2F..%2Fmailbox",
            "TRACE, /api/appointments"})
    void shouldAnswerBadRequestProblemWhenTheFirewallRefusesTheRequest(String method, String path) {
        gateway.request(method, path).send().assertProblem(400, "invalid-request");
        assertNoServiceCalled();
    }

    @Test
    void shouldKeepTheServiceReachableWhenManyHeadersTheFirewallRefusesWereReadOnTheRoute() {
        // A control character (U+0085; HttpClient would send "?") in Content-Type: the firewall refuses it only when the
        // route reads the header, inside the service's circuit breaker. The webhook needs no token.
        for (int i = 0; i < ResilienceIT.MORE_THAN_A_BREAKER_WINDOW; i++) {
            String answer = gateway.raw("POST /api/stripe/webhook HTTP/1.1\r\nContent-Type: application/json\u0085\r\n", "{}");

            assertThat(answer).startsWith("HTTP/1.1 400 ").containsIgnoringCase("Content-Type: application/problem+json")
                    .contains("\"code\":\"invalid-request\"");
        }

        GatewayClient.Response response = gateway.request("POST", "/api/stripe/webhook")
                .body("application/json", HttpRequest.BodyPublishers.ofString("{}")).send();

        assertThat(response.status()).as("status of %s", response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("payment-service");
    }

    @Test
    void shouldAnswerReadinessOnTheManagementPortWithoutAToken() {
        GatewayClient.Response response = new GatewayClient(managementPort).get("/actuator/health/readiness");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("status").asText()).isEqualTo("UP");
    }

    private static void assertNoServiceCalled() {
        Backends.APPOINTMENT.verify(0, anyRequestedFor(anyUrl()));
        Backends.PAYMENT.verify(0, anyRequestedFor(anyUrl()));
        Backends.NOTIFICATION.verify(0, anyRequestedFor(anyUrl()));
    }
}
