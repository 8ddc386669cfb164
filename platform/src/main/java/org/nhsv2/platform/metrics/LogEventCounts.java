package org.nhsv2.platform.metrics;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.logging.LogbackMetrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Micrometer's {@code logback.events} counters (one per level, with its names, description and unit), counted by an
 * appender on the root logger instead of Micrometer's turbo filter. Logback asks every turbo filter at every level
 * check, each {@code isDebugEnabled()} that answers no included, and the libraries on a request's path make hundreds
 * of those: 0.8 % of the service's profile. An appender sees only the events that are logged. The root sees every
 * event because every logger here is additive; one made non-additive with appenders of its own would go uncounted.
 * A {@link LogbackMetrics}, so that Spring Boot's auto-configuration of Micrometer's leaves it alone.
 */
public class LogEventCounts extends LogbackMetrics {

    private static final String NAME = "logback.events";
    private static final String DESCRIPTION = "Number of log events that were enabled by the effective log level";

    private final LoggerContext logging;
    private final List<Counting> appenders = new ArrayList<>();

    public LogEventCounts(LoggerContext logging) {
        super(List.of(), logging);
        this.logging = logging;
        logging.addListener(new ReattachOnReset());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Counting appender = new Counting(registry);
        appender.setContext(logging);
        appender.setName(NAME);
        synchronized (appenders) {
            appenders.add(appender);
            attach(appender);
        }
    }

    @Override
    public void close() {
        synchronized (appenders) {
            appenders.forEach(appender -> {
                root().detachAppender(appender);
                appender.stop();
            });
            appenders.clear();
        }
    }

    private void attach(Counting appender) {
        appender.start();
        root().addAppender(appender);
    }

    private Logger root() {
        return logging.getLogger(Logger.ROOT_LOGGER_NAME);
    }

    /** Counts each event by its level. Unsynchronized: logging threads never wait for each other here. */
    private static final class Counting extends UnsynchronizedAppenderBase<ILoggingEvent> {

        private final Counter error;
        private final Counter warn;
        private final Counter info;
        private final Counter debug;
        private final Counter trace;

        Counting(MeterRegistry registry) {
            error = counter(registry, "error");
            warn = counter(registry, "warn");
            info = counter(registry, "info");
            debug = counter(registry, "debug");
            trace = counter(registry, "trace");
        }

        private static Counter counter(MeterRegistry registry, String level) {
            return Counter.builder(NAME).tags("level", level).description(DESCRIPTION).baseUnit(BaseUnits.EVENTS)
                    .register(registry);
        }

        @Override
        protected void append(ILoggingEvent event) {
            switch (event.getLevel().toInt()) {
                case Level.ERROR_INT -> error.increment();
                case Level.WARN_INT -> warn.increment();
                case Level.INFO_INT -> info.increment();
                case Level.DEBUG_INT -> debug.increment();
                case Level.TRACE_INT -> trace.increment();
                default -> {
                }
            }
        }
    }

    /** A reset (logging configured again) stops and removes every appender: these come back, as Micrometer's filter does. */
    private final class ReattachOnReset implements LoggerContextListener {

        @Override
        public boolean isResetResistant() {
            return true;
        }

        @Override
        public void onReset(LoggerContext context) {
            synchronized (appenders) {
                appenders.forEach(LogEventCounts.this::attach);
            }
        }

        @Override
        public void onStart(LoggerContext context) {
        }

        @Override
        public void onStop(LoggerContext context) {
        }

        @Override
        public void onLevelChange(Logger logger, Level level) {
        }
    }
}
