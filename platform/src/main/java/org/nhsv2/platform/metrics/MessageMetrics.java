package org.nhsv2.platform.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.messaging.Message;
import org.axonframework.micrometer.GlobalMetricRegistry;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.NoOpMessageMonitor;
import org.axonframework.queryhandling.QueryBus;
import org.axonframework.queryhandling.QueryUpdateEmitter;

import java.util.function.Function;

/**
 * Axon's message metrics (counts, timers, event processor latency) without its capacity gauge. Axon's
 * {@code CapacityMonitor} keeps every handled message's duration for ten minutes, in a sorted map, on each
 * event processor, command bus and query bus: about 80 bytes a message, so its memory grows with the load
 * (300,000 entries, a third of the appointment service's live heap, a few minutes after a booking benchmark;
 * at a sustained 600 bookings a second, more than the whole heap). The same figure is in the timers: the rate
 * of a timer's total time ({@code rate(<name>_allTimer_seconds_sum[1m])} in Prometheus) is the share of time
 * its handlers were busy. The meters are Axon's (names, tags, percentiles), each found once per payload type
 * ({@link MeteredMessages}) rather than registered again for every message.
 */
public class MessageMetrics extends GlobalMetricRegistry {

    private static final String EVENT_PROCESSOR_METRICS = "eventProcessor";

    public MessageMetrics(MeterRegistry registry) {
        super(registry);
    }

    @Override
    public MessageMonitor<? extends Message<?>> registerComponent(Class<?> componentType, String componentName) {
        return monitor(componentType, componentName, payloadType -> Tags.empty());
    }

    /** Axon's dimensional variant: one meter name per kind of component, tagged with the payload type. */
    @Override
    public MessageMonitor<? extends Message<?>> registerComponentWithDefaultTags(Class<?> componentType,
                                                                                 String componentName) {
        if (EventProcessor.class.isAssignableFrom(componentType)) {
            return monitor(componentType, EVENT_PROCESSOR_METRICS,
                    payloadType -> Tags.of("payloadType", payloadType.getSimpleName(), "processorName", componentName));
        }
        return monitor(componentType, componentName, payloadType -> Tags.of("payloadType", payloadType.getSimpleName()));
    }

    private MessageMonitor<? extends Message<?>> monitor(Class<?> componentType, String name,
                                                         Function<Class<?>, Tags> tags) {
        if (EventProcessor.class.isAssignableFrom(componentType)) {
            return new MeteredMessages(name, getRegistry(), Clock.SYSTEM, tags, true);
        }
        if (CommandBus.class.isAssignableFrom(componentType) || EventBus.class.isAssignableFrom(componentType)
                || QueryBus.class.isAssignableFrom(componentType)
                || QueryUpdateEmitter.class.isAssignableFrom(componentType)) {
            return new MeteredMessages(name, getRegistry(), Clock.SYSTEM, tags, false);
        }
        return NoOpMessageMonitor.instance();
    }
}
