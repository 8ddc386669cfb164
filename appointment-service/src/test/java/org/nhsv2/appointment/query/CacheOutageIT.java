package org.nhsv2.appointment.query;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.nhsv2.appointment.IntegrationTest;
import org.nhsv2.platform.testing.Api;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import redis.clients.jedis.exceptions.JedisConnectionException;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.nhsv2.platform.testing.DemoUsers.ALICE;
import static org.nhsv2.platform.testing.DemoUsers.RIVERSIDE;

/**
 * The cache is optional: the service starts with Redis unreachable, books and lists from the database,
 * says so in health without failing readiness, and uses Redis once one answers, without a restart; the
 * same when Redis restarts under it. This test starts (and stops) its own Redis on a free port; the
 * shared one on 6379 is never touched.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class CacheOutageIT extends IntegrationTest {

    private static final int REDIS_PORT = freePort();
    private static Process redis;

    @Autowired
    private FacilityDayCache cache;

    @DynamicPropertySource
    static void unreachableRedis(DynamicPropertyRegistry registry) {
        registry.add("nhsv2.cache.redis-address", () -> "redis://127.0.0.1:" + REDIS_PORT);
        registry.add("nhsv2.cache.retry-after", () -> "1s");
    }

    /**
     * This context shares the database with the other tests' context, whose projection may keep the
     * segment while both live: here bookings may answer 202, and listings read the rows either writes.
     */
    @Override
    protected void awaitTheProjection() {
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.destroy();
        }
    }

    @Test
    void shouldServeFromTheDatabaseWhileRedisIsDownAndUseItOnceItAnswers() throws IOException, InterruptedException {
        Api alice = as(ALICE);
        Instant start = freeSlot();
        LocalDate day = LocalDate.ofInstant(start, ZoneId.of("Europe/London"));
        String listing = "/api/facilities/" + RIVERSIDE + "/appointments?from=" + day + "&size=200";

        String booked = appointmentId(alice.post("/api/appointments", booking(RIVERSIDE, UUID.randomUUID(), start)));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Api.Response listed = alice.get(listing);
            assertThat(listed.status()).isEqualTo(200);
            assertThat(listed.body().path("items").findValuesAsText("appointmentId")).contains(booked);
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Api.Response health = Api.anonymous(managementPort).get("/actuator/health");
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.text("status")).isEqualTo("DEGRADED");
            assertThat(health.body().path("components").path("cache").path("status").asText()).isEqualTo("DEGRADED");
        });
        assertThat(Api.anonymous(managementPort).get("/actuator/health/readiness").text("status")).isEqualTo("UP");

        // A change while Redis is away: remembered, and evicted before the cache is used again.
        String later = appointmentId(alice.post("/api/appointments",
                booking(RIVERSIDE, UUID.randomUUID(), start.plusSeconds(1800)))); // same local day, as above
        redis = startRedis();

        // The test asks Redis itself too: until the new server listens, that question fails to connect.
        await().atMost(Duration.ofSeconds(20)).ignoreExceptionsInstanceOf(JedisConnectionException.class).untilAsserted(() -> {
            assertThat(alice.get(listing).body().path("items").findValuesAsText("appointmentId")).contains(booked, later);
            assertThat(cache.isCached(RIVERSIDE, day)).isTrue();
        });
        assertThat(alice.get(listing).body().path("items").findValuesAsText("appointmentId")).contains(booked, later);
        Api.Response health = Api.anonymous(managementPort).get("/actuator/health");
        assertThat(health.text("status")).isEqualTo("UP");

        // Redis restarts: the pooled connections lead nowhere now; the service falls back, then reconnects.
        redis.destroy();
        assertThat(redis.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(alice.get(listing).body().path("items").findValuesAsText("appointmentId")).contains(booked, later);
        assertThat(cache.isAvailable()).isFalse();
        redis = startRedis();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptionsInstanceOf(JedisConnectionException.class).untilAsserted(() -> {
            assertThat(alice.get(listing).body().path("items").findValuesAsText("appointmentId")).contains(booked, later);
            assertThat(cache.isCached(RIVERSIDE, day)).isTrue();
        });
        assertThat(cache.isAvailable()).isTrue();
    }

    private static String appointmentId(Api.Response booked) {
        assertThat(booked.status()).isIn(201, 202);
        String location = booked.header("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private static Process startRedis() throws IOException {
        Path dir = Files.createTempDirectory("nhsv2-cache-outage");
        Process process = new ProcessBuilder("redis-server", "--port", Integer.toString(REDIS_PORT), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        dir.toFile().deleteOnExit();
        return process;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
