package org.nhsv2.platform.time;

import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.boot.autoconfigure.validation.ValidationConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;
import org.springframework.scheduling.annotation.EnableScheduling;

import java.time.Clock;
import java.time.Instant;

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

    /** Instants read without a date-time formatter where they have Jackson's own form ({@link UtcInstantDeserializer}). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({Jackson2ObjectMapperBuilder.class, InstantDeserializer.class})
    static class Instants {

        @Bean
        Jackson2ObjectMapperBuilderCustomizer utcInstants() {
            return builder -> builder.deserializerByType(Instant.class, new UtcInstantDeserializer());
        }
    }
}
