package org.nhsv2.appointment;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.junit.jupiter.api.BeforeEach;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.MutableClock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * Base of the {@code *IT} classes: the whole service on a random port against the real PostgreSQL,
 * Redis and Keycloak that {@code script/test} provides. Each JVM uses its own Redis key prefix and
 * {@code script/test} gives each run a fresh database, so no run depends on an earlier one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.server.port=0", "nhsv2.vault.shred-interval=1s"})
@ActiveProfiles("local")
@AutoConfigureObservability
@Import(IntegrationTest.TestClock.class)
public abstract class IntegrationTest {

    /** Far enough ahead that moving the clock a few hours never reaches them. */
    private static final Instant FIRST_SLOT = Instant.now().plus(Duration.ofDays(40)).truncatedTo(ChronoUnit.HOURS);
    private static final AtomicInteger SLOTS = new AtomicInteger();

    @LocalServerPort
    protected int port;
    @LocalManagementPort
    protected int managementPort;
    @Autowired
    protected MutableClock clock;
    @Autowired
    protected JdbcTemplate jdbc;

    @Autowired
    private EventProcessingConfiguration processing;

    /**
     * Another context on the same database (a test with other settings) may have held the
     * projection's segment; once it closes, this context's processor claims it within seconds. Tests
     * start only when this context's projection runs, or its bookings would wait in vain (202).
     */
    @BeforeEach
    protected void awaitTheProjection() {
        TrackingEventProcessor processor = processing
                .eventProcessor("appointment-view", TrackingEventProcessor.class).orElseThrow();
        await().atMost(Duration.ofSeconds(30)).until(() -> !processor.processingStatus().isEmpty());
    }

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> System.getenv().getOrDefault("NHSV2_TEST_DB_URL",
                "jdbc:postgresql://127.0.0.1:5432/nhsv2_appointment_test"));
        registry.add("nhsv2.cache.key-prefix", () -> "nhsv2-test-" + UUID.randomUUID() + ":");
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class TestClock {
        @Bean
        @Primary
        MutableClock mutableClock() {
            return new MutableClock();
        }
    }

    protected Api as(String username) {
        return Api.as(port, username);
    }

    /** A start no other test uses: tests share doctors, so each gets its own four-hour window. */
    protected static Instant freeSlot() {
        return FIRST_SLOT.plus(Duration.ofHours(4L * SLOTS.getAndIncrement()));
    }

    protected static Map<String, Object> booking(UUID facilityId, UUID patientId, Instant start) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("facilityId", facilityId);
        body.put("patientId", patientId);
        body.put("patientName", "Patient " + patientId.toString().substring(0, 8));
        body.put("patientEmail", "patient-" + patientId.toString().substring(0, 8) + "@example.test");
        body.put("start", start.toString());
        body.put("durationMinutes", 30);
        body.put("reason", "Routine check-up");
        return body;
    }
}
