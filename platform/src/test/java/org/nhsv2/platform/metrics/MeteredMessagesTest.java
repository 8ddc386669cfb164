package org.nhsv2.platform.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.micrometer.EventProcessorLatencyMonitor;
import org.axonframework.micrometer.MessageCountingMonitor;
import org.axonframework.micrometer.MessageTimerMonitor;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.MultiMessageMonitor;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** The same meters, with the same values, as Axon's three monitors, given the same messages and clock. */
class MeteredMessagesTest {

    private final MockClock axonsClock = new MockClock();
    private final MockClock ourClock = new MockClock();

    @Test
    void shouldKeepAnEventProcessorsMetersAsAxonsMonitorsDo() {
        Function<Class<?>, Tags> tags = type -> Tags.of("payloadType", type.getSimpleName(), "processorName", "view");
        MeterRegistry axons = registry(axonsClock);
        MeterRegistry ours = registry(ourClock);

        handle(axonsMonitors("eventProcessor", axons, tags, true), axonsClock);
        handle(new MeteredMessages("eventProcessor", ours, ourClock, tags, true), ourClock);

        assertThat(meters(ours)).isEqualTo(meters(axons)).containsKeys(
                "eventProcessor.latency{payloadType=String,processorName=view}",
                "eventProcessor.ignoredTimer{payloadType=Integer,processorName=view}");
        assertThat(meters(ours).get("eventProcessor.latency{payloadType=String,processorName=view}"))
                .as("the age of the last such event when it came in").contains("VALUE=9042.0");
    }

    @Test
    void shouldKeepABussMetersAsAxonsMonitorsDo() {
        MeterRegistry axons = registry(axonsClock);
        MeterRegistry ours = registry(ourClock);

        handle(axonsMonitors("commandBus", axons, type -> Tags.empty(), false), axonsClock);
        handle(new MeteredMessages("commandBus", ours, ourClock, type -> Tags.empty(), false), ourClock);

        assertThat(meters(ours)).isEqualTo(meters(axons)).containsKey("commandBus.successCounter{}")
                .doesNotContainKey("commandBus.latency{}");
        assertThat(meters(ours).get("commandBus.allTimer{}")).contains("COUNT=5.0");
    }

    /** Two payload types; each handled, failed and ignored; time passing between ingestion and outcome. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void handle(MessageMonitor monitor, MockClock clock) {
        Instant start = Instant.ofEpochMilli(clock.wallTime());
        EventMessage<String> booked = event("booked", start.minusSeconds(9));
        EventMessage<String> cancelled = event("cancelled", start.minusSeconds(7));
        EventMessage<Integer> counted = event(42, start.minusSeconds(3));
        MessageMonitor.MonitorCallback first = monitor.onMessageIngested(booked);
        MessageMonitor.MonitorCallback second = monitor.onMessageIngested(counted);
        clock.add(Duration.ofMillis(30));
        first.reportSuccess();
        second.reportIgnored();
        MessageMonitor.MonitorCallback third = monitor.onMessageIngested(cancelled);
        MessageMonitor.MonitorCallback fourth = monitor.onMessageIngested(counted);
        clock.add(Duration.ofMillis(12));
        third.reportFailure(new IllegalStateException("failed"));
        fourth.reportSuccess();
        monitor.onMessageIngested(booked).reportSuccess();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private MessageMonitor<Message<?>> axonsMonitors(String name, MeterRegistry registry,
                                                     Function<Class<?>, Tags> tags, boolean eventProcessor) {
        MockClock clock = axonsClock;
        Function<Message<?>, Iterable<io.micrometer.core.instrument.Tag>> byMessage =
                message -> tags.apply(message.getPayloadType());
        MessageMonitor timers = MessageTimerMonitor.buildMonitor(name, registry, clock, byMessage);
        MessageMonitor counters = MessageCountingMonitor.buildMonitor(name, registry, byMessage);
        if (!eventProcessor) {
            return new MultiMessageMonitor<>(timers, counters);
        }
        MessageMonitor latency = EventProcessorLatencyMonitor.builder().meterNamePrefix(name).meterRegistry(registry)
                .tagsBuilder(byMessage).clock(clock).build();
        return new MultiMessageMonitor<>(timers, latency, counters);
    }

    private static <T> EventMessage<T> event(T payload, Instant timestamp) {
        return new GenericEventMessage<>(GenericEventMessage.asEventMessage(payload), () -> timestamp);
    }

    private static MeterRegistry registry(MockClock clock) {
        return new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
    }

    /** Each meter by its name and tags, with its measurements and, for a timer, its percentiles. */
    private static Map<String, String> meters(MeterRegistry registry) {
        Map<String, String> meters = new TreeMap<>();
        for (Meter meter : registry.getMeters()) {
            String values = StreamSupport.stream(meter.measure().spliterator(), false)
                    .map(measurement -> measurement.getStatistic() + "=" + measurement.getValue()).toList().toString();
            if (meter instanceof Timer timer) {
                values += " percentiles " + Arrays.toString(timer.takeSnapshot().percentileValues());
            }
            meters.put(meter.getId().getName() + meter.getId().getTags().toString()
                    .replace("tag(", "").replace(")", "").replace("[", "{").replace("]", "}")
                    .replace(" ", ""), meter.getId().getType() + " " + values);
        }
        return meters;
    }
}
