package org.nhsv2.appointment.config;

import org.axonframework.axonserver.connector.command.AxonServerCommandBus;
import org.axonframework.axonserver.connector.event.axon.AxonServerEventStore;
import org.axonframework.axonserver.connector.query.AxonServerQueryBus;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.queryhandling.QueryBus;
import org.junit.jupiter.api.Test;
import org.nhsv2.appointment.AppointmentServiceApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In docker-compose the services route commands, queries and events through Axon Server
 * (AXON_SERVER_ENABLED=true). Axon Server cannot run here, so this starts the service with it enabled
 * at an address where nothing listens and checks the wiring alone: the buses and the event store are
 * the Axon Server ones, not the local ones and not the JPA store. Nothing is sent.
 */
class AxonServerWiringIT {

    @Test
    void shouldUseAxonServersBusesAndEventStoreWhenEnabled() {
        String database = System.getenv().getOrDefault("NHSV2_TEST_DB_URL",
                "jdbc:postgresql://127.0.0.1:5432/nhsv2_appointment_test");
        try (ConfigurableApplicationContext service = new SpringApplicationBuilder(AppointmentServiceApplication.class).run(
                "--spring.profiles.active=local",
                "--spring.datasource.url=" + database,
                "--spring.rabbitmq.virtual-host=nhsv2_test_appointment",
                "--server.port=0", "--management.server.port=0",
                "--axon.axonserver.enabled=true",
                "--axon.axonserver.servers=127.0.0.1:1",
                "--spring.main.banner-mode=off")) {
            assertThat(service.getBean(CommandBus.class)).isInstanceOf(AxonServerCommandBus.class);
            assertThat(service.getBean(QueryBus.class)).isInstanceOf(AxonServerQueryBus.class);
            assertThat(service.getBean(EventStore.class)).isInstanceOf(AxonServerEventStore.class);
        }
    }
}
