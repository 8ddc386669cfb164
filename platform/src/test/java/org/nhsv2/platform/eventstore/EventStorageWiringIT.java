package org.nhsv2.platform.eventstore;

import org.axonframework.axonserver.connector.event.axon.AxonServerEventStore;
import com.zaxxer.hikari.HikariDataSource;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.saga.repository.SagaStore;
import org.axonframework.modelling.saga.repository.jdbc.JdbcSagaStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every service storing its events in its own database gets Axon's JDBC engine on the platform's tables, and its
 * tokens and sagas in Axon's JDBC stores; where Axon Server is the event store (docker-compose) or a service brings its
 * own engine, the platform stays out of the way. No JPA provider runs.
 */
class EventStorageWiringIT {

    private static final EventStoreSchema SCHEMA = new EventStoreSchema("event_storage_wiring_it");

    @BeforeAll
    static void freshSchema() {
        SCHEMA.drop();
    }

    @AfterAll
    static void dropSchema() {
        SCHEMA.drop();
    }

    @Test
    void shouldStoreAndTrackEventsWithTheJdbcEngineWhenAxonServerIsOff() {
        SCHEMA.runner().run(context -> {
            assertThat(context).getBean(EventStorageEngine.class).isExactlyInstanceOf(JdbcEventStorage.class);
            assertThat(context).getBean(TokenStore.class).isExactlyInstanceOf(JdbcTokenStore.class);
            assertThat(context).getBean(SagaStore.class).isExactlyInstanceOf(JdbcSagaStore.class);
            assertThat(context).doesNotHaveBean("entityManagerFactory");
            EventStore store = context.getBean(EventStore.class);
            assertThat(store).isInstanceOf(EmbeddedEventStore.class);
            // The processors' shared cache of the newest events: the platform's size, not Axon's 10,000
            assertThat(ReflectionTestUtils.getField(ReflectionTestUtils.getField(store, "producer"), "cachedEvents"))
                    .isEqualTo(1000);

            MetaData metaData = MetaData.with("actorId", "doctor-7").and("facilities", List.of("f1"));
            context.getBean(TransactionTemplate.class).executeWithoutResult(status ->
                    store.publish(GenericEventMessage.asEventMessage("stored").withMetaData(metaData)));

            try (BlockingStream<TrackedEventMessage<?>> stream = store.openStream(null)) {
                TrackedEventMessage<?> read = stream.nextAvailable();
                assertThat(read.getPayload()).isEqualTo("stored");
                assertThat(read.getMetaData()).isEqualTo(metaData);
            }
            Serializer events = context.getBean("eventSerializer", Serializer.class);
            assertThat(MetaDataReaderTest.metaDataDeserializerOf(((JacksonSerializer) events).getObjectMapper()))
                    .isInstanceOf(MetaDataReader.class);
            Long stored = context.getBean(JdbcTemplate.class).queryForObject(
                    "select global_index from domain_event_entry", Long.class);
            assertThat(stored).as("the index drawn from the event table's sequence").isEqualTo(
                    context.getBean(JdbcTemplate.class).queryForObject(
                            "select last_value from domain_event_entry_global_index_seq", Long.class));
        });
    }

    @Test
    void shouldStoreEventsInTheTransactionTheyArePublishedIn() {
        SCHEMA.runner().run(context -> {
            assertThat(context).getBean(ConnectionProvider.class).isExactlyInstanceOf(SpringConnections.class);
            EventStore store = context.getBean(EventStore.class);
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            TransactionTemplate transactions = context.getBean(TransactionTemplate.class);
            Long before = jdbc.queryForObject("select count(*) from domain_event_entry", Long.class);
            Long last = jdbc.queryForObject("select coalesce(max(global_index), 0) from domain_event_entry", Long.class);

            assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
                store.publish(GenericEventMessage.asEventMessage("rolled back"));
                throw new IllegalStateException("the transaction fails after the event");
            })).hasMessageContaining("fails after");
            transactions.executeWithoutResult(status -> {
                store.publish(GenericEventMessage.asEventMessage("committed"));
                // Read in the same transaction, on its connection: seen before the commit
                assertThat(jdbc.queryForObject("select count(*) from domain_event_entry", Long.class))
                        .isEqualTo(before + 1);
            });

            assertThat(jdbc.queryForObject("select count(*) from domain_event_entry", Long.class)).isEqualTo(before + 1);
            assertThat(context.getBean(HikariDataSource.class).getHikariPoolMXBean().getActiveConnections())
                    .as("every connection given back").isZero();
            // The other tests expect the store as they left it
            jdbc.update("delete from domain_event_entry where global_index > ?", last);
        });
    }

    @Test
    void shouldLeaveTheEventStoreToAxonServerWhenItIsOn() {
        SCHEMA.runner()
                .withPropertyValues("axon.axonserver.enabled=true", "axon.axonserver.servers=127.0.0.1:1")
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(JdbcEventStorageEngine.class);
                    assertThat(context.getBean(EventStore.class)).isInstanceOf(AxonServerEventStore.class);
                });
    }

    @Test
    void shouldStoreEventsWithTheJdbcEngineWhenAxonServerCarriesOnlyCommandsAndQueries() {
        SCHEMA.runner()
                .withPropertyValues("axon.axonserver.enabled=true", "axon.axonserver.servers=127.0.0.1:1",
                        "axon.axonserver.event-store.enabled=false")
                .run(context -> assertThat(context).getBean(EventStorageEngine.class)
                        .isExactlyInstanceOf(JdbcEventStorage.class));
    }

    @Test
    void shouldKeepAServicesOwnStorageEngine() {
        SCHEMA.runner().withUserConfiguration(OwnEngine.class).run(context -> assertThat(context)
                .getBean(EventStorageEngine.class).isExactlyInstanceOf(InMemoryEventStorageEngine.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnEngine {

        @Bean
        EventStorageEngine ownEngine() {
            return new InMemoryEventStorageEngine();
        }
    }
}
