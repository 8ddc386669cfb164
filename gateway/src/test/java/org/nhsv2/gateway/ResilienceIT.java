package org.nhsv2.gateway;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The notification route points at a stopped service; routes time out after one second, a request body must have
 * arrived within half a second.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "nhsv2.gateway.route-timeout=1s",
        "nhsv2.gateway.request-body-timeout=500ms",
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
        GatewayClient.Response refused = gateway.request("POST", "/api/checkouts").as(Tokens.PATIENT)
                .body("application/json", HttpRequest.BodyPublishers.ofByteArray(new byte[OVER_LIMIT])).send();

        refused.assertProblem(413, "payload-too-large");
        assertThat(refused.header("Connection")).as("the rest of the body is not read").isEqualTo("close");
        Backends.PAYMENT.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void shouldRefuseAChunkedBodyOverTheLimit() {
        GatewayClient.Response refused = gateway.request("POST", "/api/checkouts").as(Tokens.PATIENT)
                .body("application/json", HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(new byte[OVER_LIMIT * 2]))).send();

        refused.assertProblem(413, "payload-too-large");
        assertThat(refused.header("Connection")).as("the rest of the body is not read").isEqualTo("close");
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
    void shouldKeepTheServiceReachableWhenManyClientsStallTheirBodies() throws IOException {
        // Headers and a few bytes of the promised body, then nothing: the webhook needs no token, so anyone can.
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < MORE_THAN_A_BREAKER_WINDOW; i++) {
                stalled.add(stallABody("/api/stripe/webhook"));
            }
            for (Socket client : stalled) {
                assertThat(statusLine(client)).as("answer to a stalled body").isEqualTo("HTTP/1.1 408 Request Timeout");
                // The rest of the body may still come: the gateway does not wait for it.
                assertThat(restUntilClosed(client)).contains("\"code\":\"request-timeout\"").endsWith("}");
            }
        } finally {
            for (Socket client : stalled) {
                client.close();
            }
        }
        // A body that never came is the request's fault: nothing reached the service, nothing counts against it.
        Backends.PAYMENT.verify(0, anyRequestedFor(anyUrl()));

        GatewayClient.Response response = gateway.request("POST", "/api/checkouts").as(Tokens.PATIENT)
                .body("application/json", HttpRequest.BodyPublishers.ofString("{}")).send();

        assertThat(response.status()).as("status of %s", response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("payment-service");
    }

    @Test
    void shouldPassAWholeBodyOnUnchanged() {
        String body = "{\"id\":\"evt_1\",\"data\":\"" + "x".repeat(20_000) + "\"}";

        GatewayClient.Response response = gateway.request("POST", "/api/stripe/webhook")
                .body("application/json", HttpRequest.BodyPublishers.ofString(body)).send();

        assertThat(response.status()).as("status of %s", response.body()).isEqualTo(200);
        Backends.PAYMENT.verify(postRequestedFor(urlEqualTo("/api/stripe/webhook")).withRequestBody(equalTo(body)));
    }

    @Test
    void shouldPassAWholeChunkedBodyOnUnchanged() {
        byte[] body = ("{\"data\":\"" + "y".repeat(30_000) + "\"}").getBytes(StandardCharsets.UTF_8);

        GatewayClient.Response response = gateway.request("POST", "/api/stripe/webhook")
                .body("application/json", HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .send();

        assertThat(response.status()).as("status of %s", response.body()).isEqualTo(200);
        Backends.PAYMENT.verify(postRequestedFor(urlEqualTo("/api/stripe/webhook"))
                .withRequestBody(equalTo(new String(body, StandardCharsets.UTF_8))));
    }

    @Test
    void shouldPassABodySentOnlyAfterTheGatewaySaidContinue() throws Exception {
        // curl sends "Expect: 100-continue" for bodies over 1 KiB and waits for the go-ahead before sending one.
        String body = "{\"data\":\"" + "z".repeat(10_000) + "\"}";
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/stripe/webhook"))
                .expectContinue(true).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();

        // Bounded here: JDK 17's client ignores its own timeout when a final answer comes instead of 100 Continue.
        HttpResponse<String> response = HttpClient.newHttpClient()
                .sendAsync(request, HttpResponse.BodyHandlers.ofString()).get(10, TimeUnit.SECONDS);

        assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(200);
        Backends.PAYMENT.verify(postRequestedFor(urlEqualTo("/api/stripe/webhook")).withRequestBody(equalTo(body)));
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
        // What a browser app may read of the answer: besides the basics, a refund's id and whether a POST was a replay.
        assertThat(response.header("Access-Control-Expose-Headers")).isNotNull();
        assertThat(response.header("Access-Control-Expose-Headers").split("\\s*,\\s*")).contains(
                "Location", "Retry-After", "X-Request-Id", "Refund-Id", "Idempotent-Replayed");
    }

    /** Sends a request's headers and the first bytes of its 100-byte body, and then nothing more. */
    private Socket stallABody(String path) throws IOException {
        Socket client = new Socket("localhost", port);
        client.setSoTimeout(10_000);
        OutputStream out = client.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost:" + port + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100\r\n\r\n{\"id\":").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return client;
    }

    private static String statusLine(Socket client) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        InputStream in = client.getInputStream();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
            line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1).strip();
    }

    /** The rest of the answer, read until the gateway closes the connection; a test failure if it keeps it open. */
    private static String restUntilClosed(Socket client) throws IOException {
        return new String(client.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
}
