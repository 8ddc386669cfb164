package org.nhsv2.gateway;

import org.junit.jupiter.api.Test;
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

    @Test
    void shouldLimitRequestsWithABadTokenByTheirAddressThenEveryRequestFromIt() {
        AtomicInteger unauthenticated = new AtomicInteger();
        AtomicReference<GatewayClient.Response> last = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    last.set(gateway.request("GET", "/api/products").header("Authorization", "Bearer not-a-token").send());
                    if (last.get().status() == 401) {
                        unauthenticated.incrementAndGet();
                    }
                    return last.get().status() == 429;
                });

        last.get().assertProblem(429, "too-many-requests");
        assertThat(last.get().header("Retry-After")).isEqualTo("1");
        assertThat(last.get().header("X-Request-Id")).as("after the request id is given").isNotBlank();
        assertThat(unauthenticated.get()).as("the bad tokens answered before the bucket was empty").isBetween(1, 10);
        // Ahead of the token check: the address's next request is refused whoever sends it, until its bucket refills.
        assertThat(gateway.request("GET", "/api/products").as(Tokens.DOCTOR).send().status()).isEqualTo(429);
        assertThat(Backends.PAYMENT.getAllServeEvents()).as("no refused request reached the service").isEmpty();
    }
}
