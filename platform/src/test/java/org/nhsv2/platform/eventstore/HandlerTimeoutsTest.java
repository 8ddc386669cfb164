package org.nhsv2.platform.eventstore;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.deadline.DeadlineMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.messaging.timeout.HandlerTimeoutHandlerEnhancerDefinition;
import org.axonframework.queryhandling.QueryMessage;
import org.axonframework.springboot.TimeoutProperties;
import org.axonframework.springboot.autoconfig.AxonTimeoutAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** Axon's time limits: every unit of work bounded, no second bound around each handler inside it. */
class HandlerTimeoutsTest {

    private static final List<Class<? extends Message>> HANDLED = List.of(EventMessage.class, CommandMessage.class,
            QueryMessage.class, DeadlineMessage.class);

    private final ApplicationContextRunner axon = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AxonTimeoutAutoConfiguration.class));

    @Test
    void shouldBoundEachUnitOfWorkAndLeaveItsHandlersUnwrapped() {
        axon.withInitializer(context -> new PlatformDefaults()
                        .postProcessEnvironment(context.getEnvironment(), new SpringApplication()))
                .run(context -> {
                    HandlerTimeoutHandlerEnhancerDefinition handlers =
                            context.getBean(HandlerTimeoutHandlerEnhancerDefinition.class);
                    for (Class<? extends Message> type : HANDLED) {
                        MessageHandlingMember<Object> member = handlerOf(type);
                        assertThat(handlers.wrapHandler(member)).as(type.getSimpleName()).isSameAs(member);
                    }
                    TimeoutProperties.TransactionTimeoutProperties units =
                            context.getBean(TimeoutProperties.class).getTransaction();
                    for (var limit : List.of(units.getCommandBus(), units.getQueryBus(), units.getDeadline(),
                            units.getEventProcessors())) {
                        assertThat(limit.getTimeoutMs()).isEqualTo(60_000);
                        assertThat(limit.getWarningThresholdMs()).isEqualTo(10_000);
                    }
                });
    }

    /** What the defaults above switch off: without them, Axon times every handler as well. */
    @Test
    void shouldOtherwiseWrapEveryHandler() {
        axon.run(context -> {
            HandlerTimeoutHandlerEnhancerDefinition handlers = context.getBean(HandlerTimeoutHandlerEnhancerDefinition.class);
            for (Class<? extends Message> type : HANDLED) {
                MessageHandlingMember<Object> member = handlerOf(type);
                assertThat(handlers.wrapHandler(member)).as(type.getSimpleName()).isNotSameAs(member);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static MessageHandlingMember<Object> handlerOf(Class<? extends Message> type) {
        MessageHandlingMember<Object> member = mock(MessageHandlingMember.class);
        when(member.canHandleMessageType(any())).thenAnswer(call -> call.getArgument(0) == type);
        return member;
    }
}
