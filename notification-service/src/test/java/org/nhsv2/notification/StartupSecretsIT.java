package org.nhsv2.notification;

import org.junit.jupiter.api.Test;
import org.nhsv2.platform.testing.Startup;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Outside the local profile the service needs its own secrets, and only those: the database and broker
 * passwords. It seals nothing and takes no Idempotency-Key, so no master key or fingerprint secret.
 */
class StartupSecretsIT {

    private static final String TEST_DB_URL = System.getenv().getOrDefault("NHSV2_NOTIFICATION_TEST_DB_URL",
            "jdbc:postgresql://127.0.0.1:5432/nhsv2_notification_test");

    @Test
    void shouldRefuseToStartWithoutTheDatabaseAndBrokerPasswordsNamingOnlyTheirVariables() {
        Map<String, Object> settings = production();
        settings.remove("spring.datasource.password");
        settings.remove("spring.rabbitmq.password");

        assertThat(startFailure(settings)).contains("NHSV2_NOTIFICATION_DB_PASSWORD", "NHSV2_RABBITMQ_PASSWORD")
                .doesNotContain("NHSV2_MASTER_KEY", "NHSV2_IDEMPOTENCY_SECRET", "SENDGRID_API_KEY");
    }

    @Test
    void shouldRefuseToStartWithSendGridButNoSenderNamingTheVariable() {
        Map<String, Object> settings = production();
        settings.put("nhsv2.email.sendgrid.api-key", "SG.fake-test-key");

        assertThat(startFailure(settings)).contains("NHSV2_EMAIL_FROM_ADDRESS");
    }

    /** Everything a production start needs, on the test database and vhost; each test takes something away. */
    private static Map<String, Object> production() {
        Map<String, Object> settings = new HashMap<>();
        settings.put("spring.datasource.url", TEST_DB_URL);
        settings.put("spring.datasource.password", "nhsv2_notification");
        settings.put("spring.rabbitmq.password", "fake-local-rabbitmq-password");
        settings.put("spring.rabbitmq.virtual-host", "nhsv2_test_notification");
        settings.put("server.port", "0");
        settings.put("management.server.port", "0");
        settings.put("spring.main.banner-mode", "off");
        return settings;
    }

    private static String startFailure(Map<String, Object> settings) {
        return Startup.failureOf(NotificationServiceApplication.class, settings);
    }
}
