package org.nhsv2.appointment.command;

import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.Component;
import org.axonframework.config.Configuration;
import org.junit.jupiter.api.Test;
import org.nhsv2.appointment.IntegrationTest;
import org.nhsv2.platform.command.CommandTargets;
import org.nhsv2.platform.command.ConstructorAggregateFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The appointment's parts that the platform replaces in Axon's configuration: its commands find their aggregate through
 * the platform's {@link CommandTargets}, and each appointment Axon loads is made by its constructor.
 */
class AppointmentWiringIT extends IntegrationTest {

    @Autowired
    private Configuration axon;

    @Test
    void shouldResolveTheAppointmentOfEachCommandThroughThePlatformsTargets() {
        assertThat(component("commandTargetResolver")).isInstanceOf(CommandTargets.class);
    }

    @Test
    void shouldMakeEachLoadedAppointmentByItsConstructor() {
        assertThat(component("aggregateFactory")).isInstanceOfSatisfying(ConstructorAggregateFactory.class,
                factory -> assertThat(factory.getAggregateType()).isEqualTo(Appointment.class));
    }

    /** A component of the appointment's module in Axon's configuration. */
    private Object component(String name) {
        AggregateConfigurer<?> appointment = axon.findModules(AggregateConfigurer.class).stream()
                .filter(module -> module.aggregateType().equals(Appointment.class))
                .findFirst().orElseThrow();
        Component<?> component = (Component<?>) ReflectionTestUtils.getField(appointment, name);
        assertThat(component).as(name).isNotNull();
        return component.get();
    }
}
