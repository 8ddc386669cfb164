package org.nhsv2.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis away, behind a relay the test controls ({@link RedisRelay}): one that takes connections and never answers
 * (hung, or behind a partition), before or after the gateway connected, and one that is gone. Losing the rate limit
 * must beat losing the API: every request is answered, let through, within about the limiter's timeout (250 ms),
 * never held for Lettuce's defaults (60 s a command). Tiny limits (1 a second, bursts of 3), so a short burst shows
 * whether Redis is ruling again. The tests run in order: the first needs a gateway that has never reached Redis.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "nhsv2.gateway.rate-limit.replenish-rate=1",
        "nhsv2.gateway.rate-limit.burst-capacity=3"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisOutageIT {

    private static final RedisRelay REDIS = new RedisRelay(RedisRelay.Mode.HANG);
    private static final Duration PROMPTLY = Duration.ofSeconds(2);

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        Backends.register(registry);
        registry.add("spring.data.redis.host", () -> "127.0.0.1");
        registry.add("spring.data.redis.port", REDIS::port);
    }

    @LocalServerPort
    int port;
    @LocalManagementPort
    int managementPort;

    GatewayClient gateway;

    @BeforeEach
    void setUp() {
        gateway = new GatewayClient(port);
        Backends.resetRequests();
    }

    @AfterAll
    static void closeTheRelay() {
        REDIS.close();
    }

    @Test
    @Order(1)
    void shouldLetRequestsThroughPromptlyWhileRedisHasNeverAnswered() {
        // Not timed: the test's own token fetch, and the gateway's first look at Keycloak's keys (a path with no
        // route is refused before the per-user limit; the per-address limit, with no connection to Redis yet, lets it
        // through at once and connects in the background).
        gateway.request("GET", "/api/no-such-route").as(Tokens.PATIENT).send().assertProblem(404, "not-found");
        // The first routed request also opens the gateway's first connection to a service: a looser bound, still
        // far below Lettuce's 60 s.
        assertPasses(() -> gateway.request("GET", "/api/products").as(Tokens.PATIENT).send(), Duration.ofSeconds(5));

        assertRequestsPassPromptly();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(REDIS.connectionsTaken()).as("the gateway did try Redis").isPositive());
        assertRateLimitHealth("DEGRADED");
    }

    @Test
    @Order(2)
    void shouldApplyTheLimitAgainOnceRedisAnswers() {
        REDIS.mode(RedisRelay.Mode.FORWARD);

        awaitTheLimitApplies();
        assertRateLimitHealth("UP");
    }

    @Test
    @Order(3)
    void shouldLetRequestsThroughPromptlyWhenRedisHangsAfterTheGatewayConnected() {
        REDIS.mode(RedisRelay.Mode.FORWARD);
        awaitTheLimitApplies();

        REDIS.mode(RedisRelay.Mode.HANG);

        // The patient was just refused by Redis; with no verdict to be had, the request goes through.
        assertRequestsPassPromptly();
        assertRateLimitHealth("DEGRADED");
    }

    @Test
    @Order(4)
    void shouldLetRequestsThroughPromptlyWhenRedisStopsAfterTheGatewayConnected() {
        REDIS.mode(RedisRelay.Mode.FORWARD);
        awaitTheLimitApplies();

        REDIS.mode(RedisRelay.Mode.CUT);

        assertRequestsPassPromptly();
        assertRateLimitHealth("DEGRADED");
    }

    /** One after another, then many at once: a limiter call that blocked a Netty event loop would hold them all. */
    private void assertRequestsPassPromptly() {
        for (int i = 0; i < 5; i++) {
            assertPasses(() -> gateway.request("GET", "/api/products").as(Tokens.PATIENT).send(), PROMPTLY);
        }
        long started = System.nanoTime();
        List<CompletableFuture<GatewayClient.Response>> calls = IntStream.range(0, 16)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> i % 2 == 0
                        ? gateway.request("GET", "/api/products").as(Tokens.PATIENT).send()
                        : gateway.get("/sandbox/checkouts/c" + i)))
                .toList();
        List<Integer> statuses = calls.stream().map(CompletableFuture::join).map(GatewayClient.Response::status).toList();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(statuses).containsOnly(200);
        assertThat(took).isLessThan(PROMPTLY);
    }

    private static void assertPasses(Supplier<GatewayClient.Response> call, Duration within) {
        long started = System.nanoTime();
        GatewayClient.Response response = call.get();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(response.status()).as("status of %s", response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("payment-service");
        assertThat(took).isLessThan(within);
    }

    /**
     * Health on the management port says what Redis costs: the limit, not the API. It answers 200 whether Redis is
     * there or not (a DOWN would have a monitor page someone, or an orchestrator restart a gateway that serves),
     * and names the rate limit's state.
     */
    private void assertRateLimitHealth(String expected) {
        GatewayClient management = new GatewayClient(managementPort);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            GatewayClient.Response health = management.get("/actuator/health");
            assertThat(health.status()).as("status of %s", health.body()).isEqualTo(200);
            assertThat(health.json().at("/components/rateLimit/status").asText()).isEqualTo(expected);
        });
    }

    /** Redis rules again: a burst from one user is refused within a few requests. */
    private void awaitTheLimitApplies() {
        await().atMost(Duration.ofSeconds(15)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .until(() -> gateway.request("GET", "/api/products").as(Tokens.PATIENT).send().status() == 429);
    }
}
