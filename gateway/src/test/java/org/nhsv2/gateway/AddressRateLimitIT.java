package org.nhsv2.gateway;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Requests the gateway answers itself, before any per-user limit could count them (a bad token's 401 here), are
 * limited per address: a tiny bucket (1 a second, bursts of 5) so a short burst trips it; real Redis, real tokens.
 */
@TestPropertySource(properties = {
        "nhsv2.gateway.rate-limit.address-replenish-rate=1",
        "nhsv2.gateway.rate-limit.address-burst-capacity=5"})
class AddressRateLimitIT extends GatewayIntegrationTest {

    @LocalManagementPort
    int managementPort;

    /**
     * A bad token and a doctor's good one by turns, from one address, until the doctor is refused: with bursts of
     * five, that takes three of the doctor's requests when the bad tokens count, and six when they do not (the doctor's
     * own bucket holds a hundred).
     */
    @Test
    void shouldCountRequestsWithABadTokenAgainstTheirAddressAndThenRefuseEveryRequestFromIt() {
        Tokens.of(Tokens.DOCTOR); // fetched before the burst, so the bucket does not refill while Keycloak answers
        AtomicInteger unauthenticated = new AtomicInteger();
        AtomicInteger doctorsRequests = new AtomicInteger();
        AtomicReference<GatewayClient.Response> doctors = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                .until(() -> {
                    if (gateway.request("GET", "/api/products").header("Authorization", "Bearer not-a-token").send()
                            .status() == 401) {
                        unauthenticated.incrementAndGet();
                    }
                    doctorsRequests.incrementAndGet();
                    doctors.set(gateway.request("GET", "/api/products").as(Tokens.DOCTOR)
                            .header("Origin", "http://localhost:3000").send());
                    return doctors.get().status() == 429;
                });

        GatewayClient.Response refused = doctors.get();
        refused.assertProblem(429, "too-many-requests");
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(refused.header("X-Request-Id")).as("after the request id is given").isNotBlank();
        assertThat(refused.header("Access-Control-Allow-Origin")).as("after CORS: a browser app may read the refusal")
                .isEqualTo("http://localhost:3000");
        assertThat(unauthenticated.get()).as("bad tokens answered 401 until the bucket was empty").isPositive();
        assertThat(doctorsRequests.get()).as("the bad tokens counted against the address").isLessThanOrEqualTo(4);
        assertThat(Backends.PAYMENT.getAllServeEvents()).as("only the doctor's requests let through reached the service")
                .hasSize(doctorsRequests.get() - 1);
        // Health and readiness, off the public port, are not limited: a flood from an address a prober shares (a NAT,
        // a node's address) must not take the gateway out of service.
        assertThat(new GatewayClient(managementPort).get("/actuator/health/readiness").status()).isEqualTo(200);
    }
}
