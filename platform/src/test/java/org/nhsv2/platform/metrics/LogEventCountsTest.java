package org.nhsv2.platform.metrics;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.logging.LogbackMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.LogbackMetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class LogEventCountsTest {

    @Test
    void shouldCountWhatMicrometersTurboFilterCountsWithoutOne() {
        LoggerContext ours = new LoggerContext();
        LoggerContext micrometers = new LoggerContext();
        MeterRegistry counted = new SimpleMeterRegistry();
        MeterRegistry filtered = new SimpleMeterRegistry();
        new LogEventCounts(ours).bindTo(counted);
        new LogbackMetrics(List.of(), micrometers).bindTo(filtered);

        logSome(ours);
        logSome(micrometers);

        assertThat(counts(counted)).isEqualTo(counts(filtered))
                .isEqualTo(Map.of("error", 1.0, "warn", 2.0, "info", 3.0, "debug", 4.0, "trace", 0.0));
        assertThat(counted.get("logback.events").counters()).allSatisfy(counter -> {
            Counter same = filtered.get("logback.events").tags(counter.getId().getTags()).counter();
            assertThat(counter.getId().getDescription()).isEqualTo(same.getId().getDescription());
            assertThat(counter.getId().getBaseUnit()).isEqualTo(same.getId().getBaseUnit()).isEqualTo("events");
        });
        assertThat(micrometers.getTurboFilterList()).isNotEmpty();
        assertThat(ours.getTurboFilterList()).as("nothing asked at each level check").isEmpty();
    }

    @Test
    void shouldKeepCountingAfterLoggingIsConfiguredAgainAndStopWhenClosed() {
        LoggerContext logging = new LoggerContext();
        MeterRegistry registry = new SimpleMeterRegistry();
        LogEventCounts counts = new LogEventCounts(logging);
        counts.bindTo(registry);

        logging.reset();
        logging.getLogger("after.reset").warn("counted");
        assertThat(counts(registry)).containsEntry("warn", 1.0);

        counts.close();
        logging.getLogger("after.close").warn("not counted");
        assertThat(counts(registry)).containsEntry("warn", 1.0);
    }

    @Test
    void shouldTakeThePlaceOfSpringBootsLogbackMetrics() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                        LogbackMetricsAutoConfiguration.class, LogEventCountsAutoConfiguration.class))
                .run(context -> {
                    assertThat(context).getBean(LogbackMetrics.class).isExactlyInstanceOf(LogEventCounts.class);
                    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
                    assertThat(logging.getTurboFilterList()).isEmpty();
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    double before = counts(registry).get("error");
                    LoggerFactory.getLogger(LogEventCountsTest.class).error("counted");
                    assertThat(counts(registry)).containsEntry("error", before + 1);
                });
    }

    /** Root at INFO, one logger at DEBUG: 1 error, 2 warnings, 3 infos and 4 debugs are logged, the rest not. */
    private static void logSome(LoggerContext logging) {
        logging.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
        Logger quiet = logging.getLogger("quiet");
        Logger chatty = logging.getLogger("chatty");
        chatty.setLevel(Level.DEBUG);
        quiet.error("e");
        quiet.warn("w");
        chatty.warn("w {}", 2);
        quiet.info("i");
        chatty.info("i");
        chatty.info("i {} {} {}", 1, 2, 3);
        for (int i = 0; i < 4; i++) {
            chatty.debug("d");
            quiet.debug("not logged");
            assertThat(quiet.isDebugEnabled()).isFalse();
        }
        chatty.trace("not logged");
        quiet.trace("not logged");
    }

    private static Map<String, Double> counts(MeterRegistry registry) {
        Map<String, Double> counts = new TreeMap<>();
        registry.find("logback.events").counters()
                .forEach(counter -> counts.put(counter.getId().getTag("level"), counter.count()));
        return counts;
    }
}
