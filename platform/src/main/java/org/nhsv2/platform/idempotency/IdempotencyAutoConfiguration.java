package org.nhsv2.platform.idempotency;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;

/**
 * {@code Idempotency-Key}s: remembered per caller with a keyed fingerprint of the request, forgotten
 * after a day, and deleted with a patient's erasure. The table comes with the platform's Flyway
 * migrations ({@code classpath:db/platform}).
 */
@AutoConfiguration(after = JdbcTemplateAutoConfiguration.class)
@ConditionalOnProperty(name = "nhsv2.idempotency.enabled", matchIfMissing = true)
@EnableConfigurationProperties(IdempotencySettings.class)
public class IdempotencyAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    IdempotencyKeys idempotencyKeys(JdbcTemplate jdbc) {
        return new IdempotencyKeys(jdbc);
    }

    @Bean
    @ConditionalOnMissingBean
    RequestFingerprints requestFingerprints(IdempotencySettings settings) {
        return new RequestFingerprints(settings);
    }

    @Bean
    @ConditionalOnMissingBean
    IdempotencyRetention idempotencyRetention(IdempotencyKeys keys, Clock clock, IdempotencySettings settings) {
        return new IdempotencyRetention(keys, clock, settings);
    }
}
