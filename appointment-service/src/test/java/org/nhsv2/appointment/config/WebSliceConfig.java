package org.nhsv2.appointment.config;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * What a {@code @WebMvcTest} slice needs of the service's own configuration: the real routes and roles
 * ({@link SecurityConfig}), and the clock that {@code @Future} validation reads, pinned to {@link #NOW}.
 * The platform's web auto-configurations (problem answers, input limits, strict JSON, the caller from
 * the token) join every slice by themselves.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import(SecurityConfig.class)
public class WebSliceConfig {

    /** Later than any real test run, so a start the fixed clock calls past is still future by the wall clock. */
    public static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    @Bean
    @Primary
    Clock fixedClock() {
        return Clock.fixed(NOW, ZoneOffset.UTC);
    }
}
