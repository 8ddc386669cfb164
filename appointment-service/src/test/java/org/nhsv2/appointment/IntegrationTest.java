package org.nhsv2.appointment;

import org.nhsv2.platform.testing.ServiceIntegrationTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Base of the {@code *IT} classes: the whole service on a random port against the real PostgreSQL,
 * Redis and Keycloak that {@code script/test} provides. Each JVM uses its own Redis key prefix and
 * {@code script/test} gives each run a fresh database, so no run depends on an earlier one.
 */
@TestPropertySource(properties = "nhsv2.vault.shred-interval=1s")
public abstract class IntegrationTest extends ServiceIntegrationTest {

    /** Far enough ahead that moving the clock a few hours never reaches them. */
    private static final Instant FIRST_SLOT = Instant.now().plus(Duration.ofDays(40)).truncatedTo(ChronoUnit.HOURS);
    private static final AtomicInteger SLOTS = new AtomicInteger();

    @Override
    protected String projection() {
        return "appointment-view";
    }

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("spring.rabbitmq.virtual-host", () -> System.getenv().getOrDefault("NHSV2_APPOINTMENT_TEST_VHOST",
                "nhsv2_test_appointment"));
        registry.add("spring.datasource.url", () -> System.getenv().getOrDefault("NHSV2_TEST_DB_URL",
                "jdbc:postgresql://127.0.0.1:5432/nhsv2_appointment_test"));
        registry.add("nhsv2.cache.key-prefix", () -> "nhsv2-test-" + UUID.randomUUID() + ":");
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
