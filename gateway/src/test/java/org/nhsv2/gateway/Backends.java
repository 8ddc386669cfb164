package org.nhsv2.gateway;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.springframework.test.context.DynamicPropertyRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * The three services as WireMock servers on free ports, started once per test JVM. Each answers any request
 * with its own name in the body, so a test sees which one a route reached.
 */
final class Backends {

    static final WireMockServer APPOINTMENT = start("appointment-service");
    static final WireMockServer PAYMENT = start("payment-service");
    static final WireMockServer NOTIFICATION = start("notification-service");

    private Backends() {
    }

    /** Points the gateway's routes at the WireMock servers. */
    static void register(DynamicPropertyRegistry registry) {
        registry.add("NHSV2_APPOINTMENT_URL", APPOINTMENT::baseUrl);
        registry.add("NHSV2_PAYMENT_URL", PAYMENT::baseUrl);
        registry.add("NHSV2_NOTIFICATION_URL", NOTIFICATION::baseUrl);
        registry.add("management.server.port", () -> "0");
        // A fresh bucket namespace per context: test runs (and a running gateway) share the local Redis.
        String prefix = "gateway-test-" + UUID.randomUUID();
        registry.add("nhsv2.gateway.rate-limit.key-prefix", () -> prefix);
    }

    static void resetRequests() {
        APPOINTMENT.resetRequests();
        PAYMENT.resetRequests();
        NOTIFICATION.resetRequests();
    }

    /** A port nothing listens on: what a stopped service looks like to the gateway. */
    static String stoppedServiceUrl() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://localhost:" + socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static WireMockServer start(String name) {
        WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort().containerThreads(8)
                .asynchronousResponseEnabled(true));
        server.start();
        server.stubFor(any(anyUrl()).atPriority(10)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/plain").withBody(name)));
        return server;
    }
}
