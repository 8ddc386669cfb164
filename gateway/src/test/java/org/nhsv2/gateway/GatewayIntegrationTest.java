package org.nhsv2.gateway;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the gateway's tests: the gateway on a random port in front of WireMock playing the three
 * services ({@link Backends}), with real Keycloak tokens and the real Redis. A subclass adds its own
 * settings with {@code @TestPropertySource}. (ResilienceIT and RedisOutageIT wire their own: they point a route
 * at a stopped service, or Redis at a relay that misbehaves, and a subclass's dynamic property would lose to the
 * one registered here.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class GatewayIntegrationTest {

    @LocalServerPort
    int port;

    GatewayClient gateway;

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        Backends.register(registry);
    }

    @BeforeEach
    void connectAndForgetEarlierCalls() {
        gateway = new GatewayClient(port);
        Backends.resetRequests();
    }
}
