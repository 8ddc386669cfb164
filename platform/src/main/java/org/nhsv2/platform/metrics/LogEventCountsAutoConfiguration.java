package org.nhsv2.platform.metrics;

import ch.qos.logback.classic.LoggerContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.logging.LogbackMetrics;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.LogbackMetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Log events counted by {@link LogEventCounts} in place of Micrometer's turbo filter, under the conditions of Spring
 * Boot's {@link LogbackMetricsAutoConfiguration}, which then leaves it alone.
 */
@AutoConfiguration(after = {MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class},
        before = LogbackMetricsAutoConfiguration.class)
@ConditionalOnClass({MeterRegistry.class, LoggerContext.class, LoggerFactory.class})
@ConditionalOnBean(MeterRegistry.class)
@Conditional(LogEventCountsAutoConfiguration.LogbackLogs.class)
public class LogEventCountsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    LogbackMetrics logEventCounts() {
        return new LogEventCounts((LoggerContext) LoggerFactory.getILoggerFactory());
    }

    static class LogbackLogs extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return LoggerFactory.getILoggerFactory() instanceof LoggerContext
                    ? ConditionOutcome.match("SLF4J logs through logback")
                    : ConditionOutcome.noMatch("SLF4J does not log through logback");
        }
    }
}
