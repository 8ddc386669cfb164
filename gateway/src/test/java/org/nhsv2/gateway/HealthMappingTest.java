package org.nhsv2.gateway;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.SimpleHttpCodeStatusMapper;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

import java.io.IOException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's health codes as Spring Boot maps them from application.yml: a mapping given replaces Boot's own
 * (DOWN and OUT_OF_SERVICE to 503), and anything unmapped answers 200, so with DEGRADED alone mapped a gateway whose
 * disk is full or whose liveness broke would still answer {@code /actuator/health} with 200.
 */
class HealthMappingTest {

    @Test
    void shouldAnswerDownAndOutOfServiceWith503AndDegradedWith200() throws IOException {
        StandardEnvironment environment = new StandardEnvironment();
        new YamlPropertySourceLoader().load("application", new ClassPathResource("application.yml"))
                .forEach(environment.getPropertySources()::addLast);
        Map<String, Integer> mapping = Binder.get(environment)
                .bind("management.endpoint.health.status.http-mapping", Bindable.mapOf(String.class, Integer.class))
                .orElse(Map.of());

        SimpleHttpCodeStatusMapper codes = new SimpleHttpCodeStatusMapper(mapping);

        assertThat(codes.getStatusCode(Status.DOWN)).isEqualTo(503);
        assertThat(codes.getStatusCode(Status.OUT_OF_SERVICE)).isEqualTo(503);
        assertThat(codes.getStatusCode(new Status("DEGRADED"))).isEqualTo(200);
        assertThat(codes.getStatusCode(Status.UP)).isEqualTo(200);
    }
}
