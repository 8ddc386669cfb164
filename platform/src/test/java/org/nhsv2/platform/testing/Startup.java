package org.nhsv2.platform.testing;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Starts a service the way its operators would, to see it refuse. */
public final class Startup {

    private Startup() {
    }

    /** The messages of the start's failure and all its causes; fails the test if the service started. */
    public static String failureOf(Class<?> application, Map<String, Object> settings) {
        Throwable failure = catchThrowable(() -> {
            String[] arguments = settings.entrySet().stream().map(s -> "--" + s.getKey() + "=" + s.getValue())
                    .toArray(String[]::new);
            try (ConfigurableApplicationContext ignored = new SpringApplicationBuilder(application).run(arguments)) {
                // started: no failure to report
            }
        });
        assertThat(failure).as("the service started").isNotNull();
        StringBuilder messages = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            messages.append(cause.getMessage()).append('\n');
        }
        return messages.toString();
    }
}
