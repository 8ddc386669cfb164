package org.nhsv2.payment;

import org.junit.jupiter.api.Test;
import org.nhsv2.platform.testing.Startup;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Outside the local profile the Stripe keys are secrets like the others: without them the service
 * refuses to start, rather than run the sandbox where real payments are expected.
 */
class StartupSecretsIT {

    private static final String TEST_DB_URL = System.getenv().getOrDefault("NHSV2_PAYMENT_TEST_DB_URL",
            "jdbc:postgresql://127.0.0.1:5432/nhsv2_payment_test");

    @Test
    void shouldRefuseToStartWithoutStripesKeysNamingTheVariables() {
        Map<String, Object> settings = production();
        settings.remove("nhsv2.stripe.secret-key");
        settings.remove("nhsv2.stripe.webhook-secret");

        assertThat(startFailure(settings)).contains("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET")
                .doesNotContain("NHSV2_MASTER_KEY");
    }

    @Test
    void shouldRefuseToStartWithoutTheDatabasePasswordAndMasterKey() {
        Map<String, Object> settings = production();
        settings.remove("spring.datasource.password");
        settings.remove("nhsv2.vault.master-key");

        assertThat(startFailure(settings)).contains("NHSV2_PAYMENT_DB_PASSWORD", "NHSV2_MASTER_KEY");
    }

    @Test
    void shouldRefuseToStartWithoutABrokerPasswordNamingTheVariable() {
        Map<String, Object> settings = production();
        settings.remove("spring.rabbitmq.password");

        assertThat(startFailure(settings)).contains("NHSV2_RABBITMQ_PASSWORD");
    }

    /**
     * The local profile's webhook secret is committed to the repository: with a real Stripe key, anyone could sign a
     * checkout.session.completed with it and mark a transaction paid.
     */
    @Test
    void shouldRefuseToStartWithAStripeKeyAndTheLocalProfilesFakeWebhookSecret() {
        Map<String, Object> settings = new HashMap<>();
        settings.put("spring.profiles.active", "local");
        settings.put("spring.datasource.url", TEST_DB_URL);
        settings.put("nhsv2.stripe.secret-key", "sk_test_a_real_looking_key");
        // Should it start after all, on the tests' broker rather than the local services'.
        settings.put("spring.rabbitmq.virtual-host", TestBroker.VHOST);
        settings.put("server.port", "0");
        settings.put("management.server.port", "0");
        settings.put("spring.main.banner-mode", "off");

        assertThat(startFailure(settings)).contains("STRIPE_WEBHOOK_SECRET", "fake");
    }

    @Test
    void shouldRefuseToStartWithTheLocalProfilesFakeWebhookSecretOutsideTheLocalProfile() {
        Map<String, Object> settings = production();
        settings.put("nhsv2.stripe.webhook-secret", "whsec_fake_local_webhook_secret_000000000");

        assertThat(startFailure(settings)).contains("STRIPE_WEBHOOK_SECRET");
    }

    /** Everything a production start needs, on the test database; each test takes secrets away. */
    private static Map<String, Object> production() {
        Map<String, Object> settings = new HashMap<>();
        settings.put("spring.datasource.url", TEST_DB_URL);
        settings.put("spring.datasource.password", "nhsv2_payment");
        settings.put("nhsv2.vault.master-key", "dGVzdC1tYXN0ZXIta2V5LW9uZS0wMDAwMDAwMDAwMDA=");
        settings.put("nhsv2.idempotency.fingerprint-secret", "test-fingerprint-secret-000000000000000");
        settings.put("spring.rabbitmq.password", "fake-local-rabbitmq-password");
        settings.put("nhsv2.stripe.secret-key", "sk_test_not_used");
        settings.put("nhsv2.stripe.webhook-secret", "whsec_test_not_used");
        settings.put("spring.rabbitmq.virtual-host", TestBroker.VHOST);
        settings.put("server.port", "0");
        settings.put("management.server.port", "0");
        settings.put("spring.main.banner-mode", "off");
        return settings;
    }

    private static String startFailure(Map<String, Object> settings) {
        return Startup.failureOf(PaymentServiceApplication.class, settings);
    }
}
