package org.nhsv2.platform.testing;

import org.springframework.boot.actuate.health.SimpleHttpCodeStatusMapper;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP codes health answers with, as Spring Boot maps them from a configuration: a mapping given replaces Boot's
 * own (DOWN and OUT_OF_SERVICE to 503), and any status it leaves out answers 200.
 */
public final class HealthCodes {

    private HealthCodes() {
    }

    /** DOWN and OUT_OF_SERVICE answer 503, DEGRADED and UP 200, under the mapping {@code environment} configures. */
    public static void assertDownIs503AndDegradedIs200(Environment environment) {
        Map<String, Integer> mapping = Binder.get(environment)
                .bind("management.endpoint.health.status.http-mapping", Bindable.mapOf(String.class, Integer.class))
                .orElse(Map.of());
        SimpleHttpCodeStatusMapper codes = new SimpleHttpCodeStatusMapper(mapping);

        assertThat(codes.getStatusCode(Status.DOWN)).as("DOWN").isEqualTo(503);
        assertThat(codes.getStatusCode(Status.OUT_OF_SERVICE)).as("OUT_OF_SERVICE").isEqualTo(503);
        assertThat(codes.getStatusCode(new Status("DEGRADED"))).as("DEGRADED").isEqualTo(200);
        assertThat(codes.getStatusCode(Status.UP)).as("UP").isEqualTo(200);
    }
}
