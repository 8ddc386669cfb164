package org.nhsv2.appointment;

import org.junit.jupiter.api.Test;
import org.nhsv2.platform.testing.Startup;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Outside the local profile no secret has a default: a service started without its database
 * password, master key or fingerprint secret refuses to start and names what to set.
 */
class StartupSecretsIT {

    private static final String TEST_DB_URL = System.getenv().getOrDefault("NHSV2_TEST_DB_URL",
            "jdbc:postgresql://127.0.0.1:5432/nhsv2_appointment_test");

    @Test
    void shouldRefuseToStartWithoutADatabasePasswordNamingTheVariable() {
        Map<String, Object> settings = production();
        settings.remove("spring.datasource.password");

        assertThat(startFailure(settings)).contains("NHSV2_APPOINTMENT_DB_PASSWORD");
    }

    @Test
    void shouldRefuseToStartWithoutAMasterKeyNamingTheVariable() {
        Map<String, Object> settings = production();
        settings.remove("nhsv2.vault.master-key");

        assertThat(startFailure(settings)).contains("NHSV2_MASTER_KEY").contains("openssl rand -base64 32");
    }

    @Test
    void shouldNameEveryMissingSecretAtOnce() {
        Map<String, Object> settings = production();
        settings.remove("spring.datasource.password");
        settings.remove("nhsv2.vault.master-key");
        settings.remove("nhsv2.idempotency.fingerprint-secret");

        assertThat(startFailure(settings))
                .contains("NHSV2_APPOINTMENT_DB_PASSWORD", "NHSV2_MASTER_KEY", "NHSV2_IDEMPOTENCY_SECRET");
    }

    @Test
    void shouldRefuseToStartWithoutAFingerprintSecretNamingTheVariable() {
        Map<String, Object> settings = production();
        settings.remove("nhsv2.idempotency.fingerprint-secret");

        assertThat(startFailure(settings)).contains("NHSV2_IDEMPOTENCY_SECRET");
    }

    @Test
    void shouldRefuseToStartWithoutABrokerPasswordNamingTheVariable() {
        Map<String, Object> settings = production();
        settings.remove("spring.rabbitmq.password");

        assertThat(startFailure(settings)).contains("NHSV2_RABBITMQ_PASSWORD");
    }

    /** Everything a production start needs, on the test database; each test takes one secret away. */
    private static Map<String, Object> production() {
        Map<String, Object> settings = new HashMap<>();
        settings.put("spring.datasource.url", TEST_DB_URL);
        settings.put("spring.datasource.password", "nhsv2_appointment");
        settings.put("nhsv2.vault.master-key", "dGVzdC1tYXN0ZXIta2V5LW9uZS0wMDAwMDAwMDAwMDA=");
        settings.put("nhsv2.idempotency.fingerprint-secret", "test-fingerprint-secret-000000000000000");
        settings.put("spring.rabbitmq.password", "fake-local-rabbitmq-password");
        settings.put("server.port", "0");
        settings.put("management.server.port", "0");
        settings.put("spring.main.banner-mode", "off");
        return settings;
    }

    private static String startFailure(Map<String, Object> settings) {
        return Startup.failureOf(AppointmentServiceApplication.class, settings);
    }
}
