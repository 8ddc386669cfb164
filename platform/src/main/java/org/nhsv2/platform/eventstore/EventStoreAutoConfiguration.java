package org.nhsv2.platform.eventstore;

import jakarta.persistence.EntityManagerFactory;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jpa.JpaEventStorageEngine;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.autoconfig.AxonAutoConfiguration;
import org.axonframework.springboot.autoconfig.AxonServerBusAutoConfiguration;
import org.axonframework.springboot.autoconfig.JpaEventStoreAutoConfiguration;
import org.axonframework.springboot.util.RegisterDefaultEntities;
import org.nhsv2.platform.api.Actor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.HashSet;
import java.util.Set;

/**
 * Axon as every service runs it. Event-store settings that must be right before anything starts
 * (bytea columns, Jackson, the update checker) are defaults in {@code platform-defaults.properties}
 * (see {@link PlatformDefaults}); what needs beans is here.
 * <p>
 * After the JPA set-up and Axon Server's buses, before Axon's own JPA event store: the storage engine below takes
 * the place of Axon's exactly where Axon would have built its JPA one.
 */
@AutoConfiguration(after = {HibernateJpaAutoConfiguration.class, AxonServerBusAutoConfiguration.class},
        before = {JpaEventStoreAutoConfiguration.class, AxonAutoConfiguration.class})
@ConditionalOnClass(ConfigurerModule.class)
public class EventStoreAutoConfiguration {

    /**
     * Correlation and causation ids, as Axon's default does; Axon adds its own only when no provider
     * is defined, and the actor's below is one.
     */
    @Bean
    CorrelationDataProvider platformMessageOriginProvider() {
        return new MessageOriginProvider();
    }

    /** Who did it travels from the command onto each event it causes: the audit trail. */
    @Bean
    CorrelationDataProvider actorCorrelationProvider() {
        return new SimpleCorrelationDataProvider(Actor.ID, Actor.ROLE);
    }

    /**
     * A deadline would otherwise carry the metadata of the message that scheduled it, and what it
     * causes (a re-requested email, an expiry found at Stripe) would read as that user's doing. It is
     * the service's: the actor is dropped, with any keys a service names in
     * {@code nhsv2.deadlines.drop-metadata}.
     */
    @Bean
    SmartInitializingSingleton deadlinesActAsTheService(ObjectProvider<DeadlineManager> deadlines,
                                                        @Value("${nhsv2.deadlines.drop-metadata:}") Set<String> dropped) {
        Set<String> keys = new HashSet<>(Set.of(Actor.ID, Actor.ROLE, Actor.FACILITIES));
        dropped.stream().filter(key -> !key.isBlank()).forEach(keys::add);
        return () -> deadlines.ifAvailable(manager -> manager.registerDispatchInterceptor(messages -> (index, message) ->
                message.withMetaData(message.getMetaData().withoutKeys(keys))));
    }

    /** Conflict losers' commands run again: see {@link TransactionConflictRetry}. */
    @Bean
    @ConditionalOnMissingBean(CommandGateway.class)
    TransactionConflictRetry commandConflictRetry() {
        return TransactionConflictRetry.create(4, 25);
    }

    /**
     * Axon's gateway (the one its auto-configuration would build), which dispatches a command again when PostgreSQL
     * aborted its transaction as a deadlock or serialization loser, instead of answering 500.
     */
    @Bean
    @ConditionalOnMissingBean
    CommandGateway commandGateway(CommandBus commandBus, TransactionConflictRetry commandConflictRetry) {
        return DefaultCommandGateway.builder().commandBus(commandBus).retryScheduler(commandConflictRetry).build();
    }

    /**
     * Axon's default logs a failing event handler and skips the event: a view or saga would silently
     * miss it. Propagating makes every processor roll back and retry with back-off instead.
     */
    @Bean
    ConfigurerModule propagateEventHandlerFailures() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance()));
    }

    /**
     * The event store on the service's own database, whose tracking processors poll at a cost that does not grow
     * with the store (see {@link GapSafeJpaEventStorageEngine}). Under the same conditions as Axon's
     * {@code JpaEventStoreAutoConfiguration}, built as it builds its engine, with Axon's defaults: where Axon Server
     * is the event store (docker-compose), or a service defines its own engine, bus or store, this stays out.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({JpaEventStorageEngine.class, EntityManagerFactory.class})
    @ConditionalOnBean(EntityManagerFactory.class)
    @ConditionalOnMissingBean({EventStorageEngine.class, EventBus.class, EventStore.class})
    @RegisterDefaultEntities(packages = "org.axonframework.eventsourcing.eventstore.jpa")
    static class GapSafeEventStorage {

        @Bean
        EventStorageEngine eventStorageEngine(Serializer defaultSerializer,
                                              PersistenceExceptionResolver persistenceExceptionResolver,
                                              @Qualifier("eventSerializer") Serializer eventSerializer,
                                              org.axonframework.config.Configuration configuration,
                                              EntityManagerProvider entityManagerProvider,
                                              TransactionManager transactionManager) {
            return new GapSafeJpaEventStorageEngine(JpaEventStorageEngine.builder()
                    .snapshotSerializer(defaultSerializer)
                    .upcasterChain(configuration.upcasterChain())
                    .persistenceExceptionResolver(persistenceExceptionResolver)
                    .eventSerializer(eventSerializer)
                    .snapshotFilter(configuration.snapshotFilter())
                    .entityManagerProvider(entityManagerProvider)
                    .transactionManager(transactionManager));
        }
    }
}
