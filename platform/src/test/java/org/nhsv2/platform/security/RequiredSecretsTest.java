package org.nhsv2.platform.security;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class RequiredSecretsTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SecretsAutoConfiguration.class));

    @Test
    void shouldStartWhenEverySecretIsSet() {
        runner.withPropertyValues("spring.datasource.password=p", "nhsv2.vault.master-key=k",
                "nhsv2.idempotency.fingerprint-secret=s", "spring.rabbitmq.password=r")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void shouldNameEveryMissingSecretByTheVariableItsPlaceholderReads() {
        runner.withPropertyValues("spring.datasource.password=${NHSV2_PAYMENT_DB_PASSWORD}",
                "nhsv2.idempotency.fingerprint-secret=s").run(context -> assertThat(context).hasFailed().getFailure()
                .hasMessageContaining("NHSV2_PAYMENT_DB_PASSWORD (spring.datasource.password)")
                .hasMessageContaining("nhsv2.vault.master-key")
                .hasMessageNotContaining("fingerprint-secret"));
    }

    @Test
    void shouldCheckTheSecretsAServiceLists() {
        runner.withPropertyValues("nhsv2.secrets.required=stripe.webhook-secret")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasMessageContaining("stripe.webhook-secret").hasMessageNotContaining("master-key"));
    }
}
