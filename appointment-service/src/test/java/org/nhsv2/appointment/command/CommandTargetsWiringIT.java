package org.nhsv2.appointment.command;

import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.Component;
import org.axonframework.config.Configuration;
import org.junit.jupiter.api.Test;
import org.nhsv2.appointment.IntegrationTest;
import org.nhsv2.platform.command.CommandTargets;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/** The appointment's commands find their aggregate through the platform's resolver, not Axon's default. */
class CommandTargetsWiringIT extends IntegrationTest {

    @Autowired
    private Configuration axon;

    @Test
    void shouldResolveTheAppointmentOfEachCommandThroughThePlatformsTargets() {
        AggregateConfigurer<?> appointment = axon.findModules(AggregateConfigurer.class).stream()
                .filter(module -> module.aggregateType().equals(Appointment.class))
                .findFirst().orElseThrow();

        Component<?> resolver = (Component<?>) ReflectionTestUtils.getField(appointment, "commandTargetResolver");

        assertThat(resolver).isNotNull();
        assertThat(resolver.get()).isInstanceOf(CommandTargets.class);
    }
}
