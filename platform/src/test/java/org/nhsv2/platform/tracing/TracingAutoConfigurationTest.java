package org.nhsv2.platform.tracing;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.propagation.ContextPropagators;
import org.axonframework.springboot.autoconfig.AxonTracingAutoConfiguration;
import org.axonframework.springboot.autoconfig.OpenTelemetryAutoConfiguration;
import org.axonframework.tracing.NoOpSpanFactory;
import org.axonframework.tracing.SpanFactory;
import org.axonframework.tracing.opentelemetry.OpenTelemetrySpanFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class TracingAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(TracingAutoConfiguration.class, OpenTelemetryAutoConfiguration.class,
                    AxonTracingAutoConfiguration.class));

    @BeforeEach
    @AfterEach
    void noGlobalOpenTelemetry() {
        GlobalOpenTelemetry.resetForTest();
    }

    @Test
    void shouldBuildNoSpansWhenNothingRecordsThem() {
        runner.run(context -> assertThat(context).getBean(SpanFactory.class).isSameAs(NoOpSpanFactory.INSTANCE));
    }

    @Test
    void shouldTraceAxonWithOpenTelemetryWhenAnAgentIsInstalled() {
        GlobalOpenTelemetry.set(new RecordingOpenTelemetry());

        runner.run(context -> assertThat(context).getBean(SpanFactory.class)
                .isInstanceOf(OpenTelemetrySpanFactory.class));
    }

    @Test
    void shouldKeepAServicesOwnSpanFactory() {
        SpanFactory own = OpenTelemetrySpanFactory.builder().build();

        runner.withBean(SpanFactory.class, () -> own)
                .run(context -> assertThat(context).getBean(SpanFactory.class).isSameAs(own));
    }

    /** What the agent installs, as far as this decision goes: a tracer provider of its own. */
    private static final class RecordingOpenTelemetry implements OpenTelemetry {

        private final TracerProvider tracers = new TracerProvider() {
            @Override
            public Tracer get(String instrumentationScopeName) {
                return TracerProvider.noop().get(instrumentationScopeName);
            }

            @Override
            public Tracer get(String instrumentationScopeName, String instrumentationScopeVersion) {
                return TracerProvider.noop().get(instrumentationScopeName, instrumentationScopeVersion);
            }
        };

        @Override
        public TracerProvider getTracerProvider() {
            return tracers;
        }

        @Override
        public ContextPropagators getPropagators() {
            return ContextPropagators.noop();
        }
    }
}
