package org.nhsv2.platform.idempotency;

import org.junit.jupiter.api.Test;
import org.nhsv2.platform.time.ClockAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

class IdempotencyAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ClockAutoConfiguration.class, IdempotencyAutoConfiguration.class))
            .withBean(JdbcTemplate.class, () -> mock(JdbcTemplate.class));

    @Test
    void shouldRememberKeysWithKeyedFingerprintsWhenASecretIsSet() {
        runner.withPropertyValues("nhsv2.idempotency.fingerprint-secret=" + "s".repeat(32))
                .run(context -> assertThat(context).hasSingleBean(IdempotencyKeys.class)
                        .hasSingleBean(RequestFingerprints.class).hasSingleBean(IdempotencyRetention.class));
    }

    @Test
    void shouldRefuseASecretShorterThan32CharactersNamingTheVariable() {
        runner.withPropertyValues("nhsv2.idempotency.fingerprint-secret=short").run(context -> assertThat(context)
                .hasFailed().getFailure().rootCause().hasMessageContaining("NHSV2_IDEMPOTENCY_SECRET"));
    }

    @Test
    void shouldProvideNothingWhenSwitchedOff() {
        runner.withPropertyValues("nhsv2.idempotency.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(IdempotencyKeys.class));
    }
}
