package org.nhsv2.gateway;

import org.junit.jupiter.api.Test;
import org.nhsv2.platform.testing.HealthCodes;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

import java.io.IOException;

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

        HealthCodes.assertDownIs503AndDegradedIs200(environment);
    }
}
