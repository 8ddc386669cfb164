package org.nhsv2.gateway;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway as it runs on Kubernetes (where Spring Boot would believe forwarded headers by default): an anonymous
 * caller naming a new address in {@code X-Forwarded-For} or {@code Forwarded} on every request still has one bucket.
 */
@TestPropertySource(properties = {
        "spring.main.cloud-platform=kubernetes",
        "nhsv2.gateway.rate-limit.replenish-rate=1",
        "nhsv2.gateway.rate-limit.burst-capacity=3",
        "nhsv2.gateway.rate-limit.key-prefix=nhsv2-gateway-forwarded-it"})
class ForwardedHeadersIT extends GatewayIntegrationTest {

    @Test
    void shouldKeyAnonymousCallersOnTheirConnectionNotOnTheAddressTheyClaim() {
        AtomicInteger sent = new AtomicInteger();

        GatewayClient.Response refused = await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    int n = sent.incrementAndGet();
                    return gateway.request("GET", "/sandbox/checkouts/c1")
                            .header("X-Forwarded-For", "203.0.113." + (n % 250))
                            .header("Forwarded", "for=198.51.100." + (n % 250))
                            .send();
                }, response -> response.status() == 429);

        refused.assertProblem(429, "too-many-requests");
        assertThat(sent.get()).as("requests before the first refusal").isLessThanOrEqualTo(10);
    }
}
