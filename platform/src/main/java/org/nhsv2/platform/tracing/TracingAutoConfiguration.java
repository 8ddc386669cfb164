package org.nhsv2.platform.tracing;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.TracerProvider;
import org.axonframework.springboot.autoconfig.AxonTracingAutoConfiguration;
import org.axonframework.springboot.autoconfig.OpenTelemetryAutoConfiguration;
import org.axonframework.tracing.NoOpSpanFactory;
import org.axonframework.tracing.SpanFactory;
import org.axonframework.tracing.opentelemetry.OpenTelemetrySpanFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Axon's spans (commands, events, sagas, queries) go to OpenTelemetry when something records them: the OpenTelemetry
 * Java agent, attached by docker-compose and by {@code script/server --traces}, which installs itself as the global
 * OpenTelemetry before the service starts. Without it, OpenTelemetry's API is a no-op, yet Axon's OpenTelemetry span
 * factory would still build every span and its attributes (names, ids, the metadata as strings) for each command,
 * event and handler, only to drop them: a fifth of a tracking processor's time in a replay's profile. Then Axon's
 * no-op span factory is used instead. A service's own span factory is kept.
 */
@AutoConfiguration(before = {OpenTelemetryAutoConfiguration.class, AxonTracingAutoConfiguration.class})
@ConditionalOnClass({SpanFactory.class, OpenTelemetrySpanFactory.class, GlobalOpenTelemetry.class})
public class TracingAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TracingAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean(SpanFactory.class)
    SpanFactory spanFactory() {
        if (spansAreRecorded()) {
            log.info("OpenTelemetry is installed: Axon's commands, events and handlers are traced");
            return OpenTelemetrySpanFactory.builder().build();
        }
        return NoOpSpanFactory.INSTANCE;
    }

    /** Whether the global OpenTelemetry has a tracer provider of its own, rather than the API's no-op one. */
    static boolean spansAreRecorded() {
        return GlobalOpenTelemetry.getTracerProvider() != TracerProvider.noop();
    }
}
