package org.nhsv2.platform.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.monitoring.MessageMonitor;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The meters of Axon's {@code MessageTimerMonitor}, {@code MessageCountingMonitor} and (for an event processor)
 * {@code EventProcessorLatencyMonitor} of one component, with their names, tags and percentiles, found once per
 * payload type. Axon's monitors build and register every meter again for each message (four timers, five counters
 * and a gauge, each a lookup of its name and tags in the registry): 4 % of the appointment service's CPU in a
 * booking benchmark's profile. The tags depend on the message only through its payload type, so the meters of a
 * type are kept once they exist.
 */
final class MeteredMessages implements MessageMonitor<Message<?>> {

    private final String name;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Function<Class<?>, Tags> tagsOfPayloadType;
    private final boolean eventProcessor;
    private final Map<Class<?>, Meters> metersByPayloadType = new ConcurrentHashMap<>();
    /** By tags, as Axon keeps them: two payload types of one simple name share a gauge. */
    private final Map<Tags, AtomicLong> latencies = new ConcurrentHashMap<>();

    MeteredMessages(String name, MeterRegistry registry, Clock clock, Function<Class<?>, Tags> tagsOfPayloadType,
                    boolean eventProcessor) {
        this.name = name;
        this.registry = registry;
        this.clock = clock;
        this.tagsOfPayloadType = tagsOfPayloadType;
        this.eventProcessor = eventProcessor;
    }

    @Override
    public MonitorCallback onMessageIngested(Message<?> message) {
        Meters meters = metersOf(message.getPayloadType());
        if (meters.latency() != null && message instanceof EventMessage<?> event) {
            meters.latency().set(clock.wallTime() - event.getTimestamp().toEpochMilli());
        }
        meters.ingested().increment();
        long start = clock.monotonicTime();
        return new MonitorCallback() {
            @Override
            public void reportSuccess() {
                handled(meters, meters.success(), meters.succeeded(), start);
            }

            @Override
            public void reportFailure(Throwable cause) {
                handled(meters, meters.failure(), meters.failed(), start);
            }

            @Override
            public void reportIgnored() {
                meters.ignoredCount().increment();
                time(meters, meters.ignored(), start);
            }
        };
    }

    private Meters metersOf(Class<?> payloadType) {
        Meters meters = metersByPayloadType.get(payloadType);
        return meters != null ? meters : metersByPayloadType.computeIfAbsent(payloadType, this::register);
    }

    private Meters register(Class<?> payloadType) {
        Tags tags = tagsOfPayloadType.apply(payloadType);
        AtomicLong latency = eventProcessor ? latencies.computeIfAbsent(tags, this::latencyGauge) : null;
        return new Meters(timer("allTimer", tags), timer("successTimer", tags), timer("failureTimer", tags),
                timer("ignoredTimer", tags), counter("ingestedCounter", tags), counter("successCounter", tags),
                counter("failureCounter", tags), counter("processedCounter", tags), counter("ignoredCounter", tags),
                latency);
    }

    private AtomicLong latencyGauge(Tags tags) {
        AtomicLong latency = new AtomicLong();
        Gauge.builder(name + ".latency", latency::get).tags(tags).register(registry);
        return latency;
    }

    /** As Axon's {@code MessageTimerMonitor} builds its timers. */
    private Timer timer(String suffix, Tags tags) {
        return Timer.builder(name + "." + suffix)
                .distributionStatisticExpiry(Duration.ofMinutes(10))
                .publishPercentiles(0.5, 0.75, 0.95, 0.98, 0.99, 0.999)
                .tags(tags)
                .register(registry);
    }

    private Counter counter(String suffix, Tags tags) {
        return registry.counter(name + "." + suffix, tags);
    }

    private void handled(Meters meters, Timer outcome, Counter outcomeCount, long start) {
        meters.processed().increment();
        outcomeCount.increment();
        time(meters, outcome, start);
    }

    private void time(Meters meters, Timer outcome, long start) {
        long duration = clock.monotonicTime() - start;
        meters.all().record(duration, TimeUnit.NANOSECONDS);
        outcome.record(duration, TimeUnit.NANOSECONDS);
    }

    /** One payload type's meters; {@code latency} only for an event processor. */
    private record Meters(Timer all, Timer success, Timer failure, Timer ignored, Counter ingested, Counter succeeded,
                          Counter failed, Counter processed, Counter ignoredCount, AtomicLong latency) {
    }
}
