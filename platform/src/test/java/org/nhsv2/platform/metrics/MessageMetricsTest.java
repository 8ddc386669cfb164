package org.nhsv2.platform.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.micrometer.GlobalMetricRegistry;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.queryhandling.GenericQueryMessage;
import org.axonframework.queryhandling.QueryBus;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.springboot.autoconfig.MicrometerMetricsAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MessageMetricsTest {

    private final MeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void shouldTimeAndCountAnEventProcessorsEventsWithoutKeepingThem() {
        MessageMonitor<Message<?>> monitor = monitor(new MessageMetrics(meters), EventProcessor.class, "view");

        for (int i = 0; i < 3; i++) {
            monitor.onMessageIngested(GenericEventMessage.asEventMessage("booked")).reportSuccess();
        }

        assertThat(meters.find("view.successCounter").counter()).isNotNull()
                .satisfies(counter -> assertThat(counter.count()).isEqualTo(3));
        assertThat(meters.find("view.allTimer").timer()).isNotNull()
                .satisfies(timer -> assertThat(timer.count()).isEqualTo(3));
        assertThat(meters.find("view.latency").gauge()).isNotNull();
        assertThat(names()).noneMatch(name -> name.endsWith("capacity"));
    }

    @Test
    void shouldTimeAndCountTheBusesWithoutKeepingTheirMessages() {
        MessageMetrics metrics = new MessageMetrics(meters);
        monitor(metrics, CommandBus.class, "commandBus")
                .onMessageIngested(GenericCommandMessage.asCommandMessage("book")).reportSuccess();
        monitor(metrics, QueryBus.class, "queryBus")
                .onMessageIngested(new GenericQueryMessage<>("find", ResponseTypes.instanceOf(String.class))).reportSuccess();
        monitor(metrics, QueryUpdateEmitter.class, "queryUpdateEmitter")
                .onMessageIngested(GenericEventMessage.asEventMessage("update")).reportSuccess();

        assertThat(meters.find("commandBus.allTimer").timer()).isNotNull()
                .satisfies(timer -> assertThat(timer.count()).isEqualTo(1));
        assertThat(meters.find("queryBus.successCounter").counter()).isNotNull()
                .satisfies(counter -> assertThat(counter.count()).isEqualTo(1));
        assertThat(names()).contains("queryUpdateEmitter.allTimer").noneMatch(name -> name.endsWith("capacity"));
    }

    @Test
    void shouldTagByPayloadTypeAndProcessorWhenDimensional() {
        monitor(new MessageMetrics(meters), EventProcessor.class, "view", true)
                .onMessageIngested(GenericEventMessage.asEventMessage("booked")).reportSuccess();

        assertThat(meters.find("eventProcessor.successCounter").tag("processorName", "view")
                .tag("payloadType", "String").counter()).isNotNull();
        assertThat(names()).noneMatch(name -> name.endsWith("capacity"));
    }

    /** What this class leaves out: Axon's own registry keeps a capacity gauge over a ten-minute window. */
    @Test
    void shouldLeaveOutWhatAxonsOwnRegistryAdds() {
        monitor(new GlobalMetricRegistry(meters), EventProcessor.class, "view")
                .onMessageIngested(GenericEventMessage.asEventMessage("booked")).reportSuccess();

        assertThat(names()).contains("view.capacity");
    }

    @Test
    void shouldTakeThePlaceOfAxonsRegistry() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MessageMetricsAutoConfiguration.class,
                        MicrometerMetricsAutoConfiguration.class))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> assertThat(context).getBean(GlobalMetricRegistry.class)
                        .isInstanceOf(MessageMetrics.class));
    }

    private MessageMonitor<Message<?>> monitor(GlobalMetricRegistry metrics, Class<?> type, String name) {
        return monitor(metrics, type, name, false);
    }

    @SuppressWarnings("unchecked")
    private MessageMonitor<Message<?>> monitor(GlobalMetricRegistry metrics, Class<?> type, String name,
                                               boolean dimensional) {
        return (MessageMonitor<Message<?>>) (dimensional ? metrics.registerComponentWithDefaultTags(type, name)
                : metrics.registerComponent(type, name));
    }

    private List<String> names() {
        return meters.getMeters().stream().map(Meter::getId).map(Meter.Id::getName).toList();
    }
}
