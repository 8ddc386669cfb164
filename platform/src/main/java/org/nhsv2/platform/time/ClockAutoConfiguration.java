package org.nhsv2.platform.time;

import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.validation.ValidationConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

import java.time.Clock;

/**
 * One clock for rules and validation, so tests can move time for both; scheduling, which the
 * platform's housekeeping (idempotency keys, key shredding) runs on; and instants read quickly.
 */
@AutoConfiguration
@EnableScheduling
public class ClockAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    ValidationConfigurationCustomizer validationClock(Clock clock) {
        return configuration -> configuration.clockProvider(() -> clock);
    }

    /**
     * Instants read and written without a date-time formatter where they have Jackson's own form ({@link UtcInstants}):
     * Spring Boot installs every module bean into the application's mapper, after Jackson's own.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(InstantDeserializer.class)
    static class Instants {

        @Bean
        Module utcInstants() {
            return UtcInstants.module();
        }
    }
}
