package org.nhsv2.gateway;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Tiny limits (1 a second, bursts of 3) so a short burst trips them; real Redis, real tokens. */
@TestPropertySource(properties = {
        "nhsv2.gateway.rate-limit.replenish-rate=1",
        "nhsv2.gateway.rate-limit.burst-capacity=3"})
class RateLimitIT extends GatewayIntegrationTest {

    @Test
    void shouldRefuseABurstFromOneUserWhileAnotherUserStillPasses() {
        GatewayClient.Response refused = burstUntilRefused(() -> gateway.request("GET", "/api/products").as(Tokens.PATIENT).send());

        refused.assertProblem(429, "too-many-requests");
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isPositive();
        assertThat(gateway.request("GET", "/api/products").as(Tokens.DOCTOR).send().status()).isEqualTo(200);
    }

    @Test
    void shouldLimitAnonymousCallersByTheirAddress() {
        GatewayClient.Response refused = burstUntilRefused(() -> gateway.get("/sandbox/checkouts/c1"));

        refused.assertProblem(429, "too-many-requests");
        assertThat(refused.header("Retry-After")).isNotBlank();
    }

    /** Sends requests back to back until one is refused; a bucket of 3 refilling at 1/s empties within a few. */
    private static GatewayClient.Response burstUntilRefused(Supplier<GatewayClient.Response> call) {
        AtomicReference<GatewayClient.Response> last = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    last.set(call.get());
                    return last.get().status() == 429;
                });
        return last.get();
    }
}
