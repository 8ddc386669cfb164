package org.nhsv2.gateway;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpRequest;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

class GatewayRoutingIT extends GatewayIntegrationTest {

    private static final Map<String, WireMockServer> BACKENDS = Map.of(
            "appointment-service", Backends.APPOINTMENT,
            "payment-service", Backends.PAYMENT,
            "notification-service", Backends.NOTIFICATION);

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "GET, /api/appointments/a1, appointment-service",
            "GET, /api/facilities/f1/doctors, appointment-service",
            "GET, /api/facilities, appointment-service",
            "GET, /api/patients/me/appointments, appointment-service",
            "GET, /api/patients/p1/appointments, appointment-service",
            "DELETE, /api/patients/p1/personal-data, appointment-service",
            "GET, /api/doctors/d1/slots, appointment-service",
            "GET, /api/products, payment-service",
            "GET, /api/products/pr1, payment-service",
            "POST, /api/checkouts, payment-service",
            "GET, /api/transactions/t1, payment-service",
            "GET, /api/patients/me/transactions, payment-service",
            "GET, /api/facilities/f1/transactions, payment-service",
            "GET, /api/mailbox, notification-service",
            "GET, /api/mailbox/m1, notification-service",
    })
    void shouldRouteEachPathFamilyToItsServiceWhenTheTokenIsValid(String method, String path, String service) {
        GatewayClient.Response response = gateway.request(method, path + "?page=2&size=5").as(Tokens.DOCTOR).send();

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(service);
        BACKENDS.get(service).verify(1, anyRequestedFor(urlEqualTo(path + "?page=2&size=5")));
        BACKENDS.forEach((name, backend) -> {
            if (!name.equals(service)) {
                backend.verify(0, anyRequestedFor(urlPathEqualTo(path)));
            }
        });
    }

    @ParameterizedTest(name = "{0} without a token")
    @CsvSource({"/api/stripe/webhook", "/sandbox/checkouts/c1", "/checkout/complete", "/checkout/cancelled"})
    void shouldRoutePublicPaymentPagesWhenNoTokenIsGiven(String path) {
        GatewayClient.Response response = gateway.get(path);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("payment-service");
        Backends.PAYMENT.verify(1, getRequestedFor(urlEqualTo(path)));
    }

    @Test
    void shouldPassBodyAuthorizationRequestIdAndTraceparentOnWhenRouting() {
        String token = Tokens.of(Tokens.PATIENT);
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        String body = "{\"productId\":\"p-1\",\"quantity\":2}";

        GatewayClient.Response response = gateway.request("POST", "/api/checkouts?source=web")
                .header("Authorization", "Bearer " + token)
                .header("X-Request-Id", "req-123_abc")
                .header("traceparent", traceparent)
                .body("application/json", HttpRequest.BodyPublishers.ofString(body))
                .send();

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("X-Request-Id")).isEqualTo("req-123_abc");
        Backends.PAYMENT.verify(1, postRequestedFor(urlEqualTo("/api/checkouts?source=web"))
                .withHeader("Authorization", equalTo("Bearer " + token))
                .withHeader("X-Request-Id", equalTo("req-123_abc"))
                .withHeader("traceparent", equalTo(traceparent))
                .withRequestBody(equalToJson(body)));
    }

    /** Where a caller says it came from is its own word: the services never hear it as if the gateway said it. */
    @Test
    void shouldDropTheForwardedHeadersTheCallerSent() {
        GatewayClient.Response response = gateway.request("GET", "/api/products").as(Tokens.PATIENT)
                .header("Forwarded", "for=198.51.100.7;host=evil.example;proto=https")
                .header("X-Forwarded-For", "203.0.113.9")
                .header("X-Forwarded-Host", "evil.example")
                .header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Port", "443")
                .header("X-Forwarded-Prefix", "/evil")
                .header("X-Forwarded-Ssl", "on")
                .send();

        assertThat(response.status()).isEqualTo(200);
        Backends.PAYMENT.verify(1, getRequestedFor(urlEqualTo("/api/products"))
                .withoutHeader("Forwarded")
                .withoutHeader("X-Forwarded-For")
                .withoutHeader("X-Forwarded-Host")
                .withoutHeader("X-Forwarded-Proto")
                .withoutHeader("X-Forwarded-Port")
                .withoutHeader("X-Forwarded-Prefix")
                .withoutHeader("X-Forwarded-Ssl"));
    }

    @Test
    void shouldGenerateARequestIdWhenTheGivenOneIsUnsafe() {
        GatewayClient.Response response = gateway.request("GET", "/api/products")
                .as(Tokens.PATIENT).header("X-Request-Id", "bad id; with spaces").send();

        String generated = response.header("X-Request-Id");
        assertThat(generated).matches("[0-9a-f-]{36}");
        Backends.PAYMENT.verify(1, getRequestedFor(urlEqualTo("/api/products")).withHeader("X-Request-Id", equalTo(generated)));
    }

    @Test
    void shouldGenerateARequestIdWhenNoneIsGiven() {
        GatewayClient.Response response = gateway.request("GET", "/api/mailbox").as(Tokens.PATIENT).send();

        String generated = response.header("X-Request-Id");
        assertThat(generated).matches("[0-9a-f-]{36}");
        Backends.NOTIFICATION.verify(1, getRequestedFor(urlEqualTo("/api/mailbox")).withHeader("X-Request-Id", equalTo(generated)));
    }

    /** Also a path no service answers: another patient's transactions (payment-service has only {@code /me}). */
    @ParameterizedTest
    @ValueSource(strings = {"/api/unknown/thing", "/api/patients/p1/transactions"})
    void shouldAnswerNotFoundProblemWhenNoRouteMatches(String path) {
        GatewayClient.Response response = gateway.request("GET", path).as(Tokens.DOCTOR)
                .header("X-Request-Id", "missing-route").send();

        response.assertProblem(404, "not-found");
        assertThat(response.header("X-Request-Id")).isEqualTo("missing-route");
        BACKENDS.values().forEach(backend -> backend.verify(0, anyRequestedFor(urlPathEqualTo(path))));
    }
}
