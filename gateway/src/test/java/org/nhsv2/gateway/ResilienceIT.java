package org.nhsv2.gateway;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** The notification route points at a stopped service; routes time out after one second. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "nhsv2.gateway.route-timeout=1s",
        "nhsv2.gateway.cors.allowed-origins=http://localhost:3000"})
class ResilienceIT {

    private static final int OVER_LIMIT = 64 * 1024 + 1;
    /** More calls than the breakers' sliding window (20, ResilienceConfiguration): all of them failures would open one. */
    static final int MORE_THAN_A_BREAKER_WINDOW = 21;

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        Backends.register(registry);
        String stopped = Backends.stoppedServiceUrl();
        registry.add("NHSV2_NOTIFICATION_URL", () -> stopped);
    }

    @LocalServerPort
    int port;

    GatewayClient gateway;

    @BeforeAll
    static void slowAppointments() {
        Backends.APPOINTMENT.stubFor(get(urlEqualTo("/api/appointments/slow")).atPriority(1)
                .willReturn(aResponse().withStatus(200).withBody("late").withFixedDelay(4000)));
    }

    @BeforeEach
    void setUp() {
        gateway = new GatewayClient(port);
        Backends.resetRequests();
    }

    @Test
    void shouldAnswerServiceUnavailableQuicklyWhenTheServiceIsStopped() {
        long started = System.nanoTime();
        GatewayClient.Response response = gateway.request("GET", "/api/mailbox").as(Tokens.PATIENT).send();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        response.assertProblem(503, "dependency-unavailable");
        assertThat(response.header("Retry-After")).isNotBlank();
        assertThat(response.header("X-Request-Id")).isNotBlank();
        assertThat(took).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void shouldAnswerTimeoutProblemWhenTheServiceIsSlowerThanTheRouteTimeout() {
        long started = System.nanoTime();
        GatewayClient.Response response = gateway.request("GET", "/api/appointments/slow").as(Tokens.DOCTOR).send();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(response.status()).isIn(503, 504);
        response.assertProblem(response.status(), response.status() == 504 ? "dependency-timeout" : "dependency-unavailable");
        assertThat(took).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void shouldRefuseABodyOverTheLimitWithoutCallingTheService() {
        gateway.request("POST", "/api/checkouts").as(Tokens.PATIENT)
                .body("application/json", HttpRequest.BodyPublishers.ofByteArray(new byte[OVER_LIMIT])).send()
                .assertProblem(413, "payload-too-large");
        Backends.PAYMENT.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void shouldRefuseAChunkedBodyOverTheLimit() {
        gateway.request("POST", "/api/checkouts").as(Tokens.PATIENT)
                .body("application/json", HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(new byte[OVER_LIMIT * 2]))).send()
                .assertProblem(413, "payload-too-large");
    }

    @Test
    void shouldKeepTheServiceReachableWhenManyChunkedBodiesOverTheLimitWereRefused() {
        // The webhook needs no token: were a refused body the service's failure, anyone could open its breaker.
        for (int i = 0; i < MORE_THAN_A_BREAKER_WINDOW; i++) {
            gateway.request("POST", "/api/stripe/webhook")
                    .body("application/json", HttpRequest.BodyPublishers.ofInputStream(
                            () -> new ByteArrayInputStream(new byte[OVER_LIMIT * 2]))).send()
                    .assertProblem(413, "payload-too-large");
        }

        GatewayClient.Response response = gateway.request("POST", "/api/stripe/webhook")
                .body("application/json", HttpRequest.BodyPublishers.ofString("{}")).send();

        assertThat(response.status()).as("status of %s", response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("payment-service");
    }

    @Test
    void shouldKeepAnsweringServiceUnavailableWhenTheBreakerOpens() {
        for (int i = 0; i < MORE_THAN_A_BREAKER_WINDOW; i++) {
            GatewayClient.Response response = gateway.request("GET", "/api/mailbox").as(Tokens.PATIENT).send();

            response.assertProblem(503, "dependency-unavailable");
            assertThat(response.header("Retry-After")).isNotBlank();
        }
    }

    @Test
    void shouldAllowAPreflightFromAConfiguredOrigin() {
        GatewayClient.Response response = gateway.request("OPTIONS", "/api/appointments")
                .header("Origin", "http://localhost:3000")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type").send();

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo("http://localhost:3000");
        assertThat(response.header("Access-Control-Allow-Methods")).contains("POST");
        Backends.APPOINTMENT.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void shouldRefuseAPreflightFromAnotherOrigin() {
        gateway.request("OPTIONS", "/api/appointments")
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST").send()
                .assertProblem(403, "cors-origin-refused");
        Backends.APPOINTMENT.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void shouldAddCorsHeadersToARoutedRequestFromAConfiguredOrigin() {
        GatewayClient.Response response = gateway.request("GET", "/api/appointments/a1").as(Tokens.DOCTOR)
                .header("Origin", "http://localhost:3000").send();

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo("http://localhost:3000");
    }
}
