package org.nhsv2.platform.eventstore;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.modelling.saga.repository.jdbc.SagaSchema;
import org.axonframework.modelling.saga.repository.jdbc.SagaSqlSchema;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.springboot.autoconfig.AxonAutoConfiguration;
import org.axonframework.springboot.autoconfig.AxonServerBusAutoConfiguration;
import org.axonframework.springboot.autoconfig.JdbcAutoConfiguration;
import org.nhsv2.platform.api.Actor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;

import java.util.HashSet;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Axon as every service runs it. Event-store settings that must be right before anything starts
 * (Jackson, the update checker) are defaults in {@code platform-defaults.properties}
 * (see {@link PlatformDefaults}); what needs beans is here.
 * <p>
 * Axon's stores (events, tokens, sagas) are its JDBC ones, on the service's own database, in the transaction of the
 * unit of work: no JPA provider is needed for them, and none runs. After the data source and Axon Server's buses,
 * before Axon's JDBC auto-configuration, which builds the stores on the schemas below.
 */
@AutoConfiguration(after = {DataSourceAutoConfiguration.class, AxonServerBusAutoConfiguration.class},
        before = {JdbcAutoConfiguration.class, AxonAutoConfiguration.class})
@ConditionalOnClass(ConfigurerModule.class)
public class EventStoreAutoConfiguration {

    /** Axon's default: events per query, for an aggregate and for a tracking processor's poll alike. */
    static final int AGGREGATE_BATCH_SIZE = 100;

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

    /**
     * Each Jackson serializer's mapper reads metadata with {@link MetaDataReader}, registered after the serializer
     * registered Axon's own (Jackson asks the module registered last first); a mapper shared by several serializers
     * gets it once.
     */
    @Bean
    static BeanPostProcessor metaDataReader() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof JacksonSerializer serializer) {
                    serializer.getObjectMapper().registerModule(MetaDataReader.module());
                }
                return bean;
            }
        };
    }

    /** Conflict losers' commands run again: see {@link TransactionConflictRetry}. */
    @Bean
    @ConditionalOnMissingBean(CommandGateway.class)
    TransactionConflictRetry commandConflictRetry() {
        return TransactionConflictRetry.create(4, 25);
    }

    /** Commands dispatched again as deadlock or serialization losers: each cost a transaction and a wait. */
    @Bean
    @ConditionalOnBean(TransactionConflictRetry.class)
    MeterBinder commandConflictRetryMetrics(TransactionConflictRetry commandConflictRetry) {
        return registry -> FunctionCounter.builder("nhsv2.command.conflict.retries", commandConflictRetry,
                        TransactionConflictRetry::retried)
                .description("Commands dispatched again after PostgreSQL aborted them as a deadlock or serialization loser")
                .register(registry);
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
     * Axon's tables as the platform's migrations name them ({@code db/platform}), for Axon's JDBC event store: Axon's
     * {@code JdbcAutoConfiguration} builds the engine on it, under its own conditions (not where Axon Server is the
     * event store, nor where a service brings its own engine). A processor's poll reads one batch after the token
     * (ordered and limited) plus the token's filled gaps ({@link TrackingQueries}), so a poll costs the same at a
     * million events as at ten thousand ({@code GapSafeTrackingScaleIT}; DESIGN.md, "Tracking query with gaps").
     */
    @Bean
    @ConditionalOnMissingBean
    EventSchema eventSchema() {
        return EventSchema.builder()
                .eventTable("domain_event_entry")
                .snapshotTable("snapshot_event_entry")
                .globalIndexColumn("global_index")
                .timestampColumn("time_stamp")
                .eventIdentifierColumn("event_identifier")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .typeColumn("type")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .build();
    }

    /** Connections for Axon's JDBC stores, from Spring's transaction: see {@link SpringConnections}. */
    @Bean
    @ConditionalOnBean(DataSource.class)
    @ConditionalOnMissingBean
    ConnectionProvider connectionProvider(DataSource dataSource) {
        return new SpringConnections(dataSource);
    }

    /**
     * Axon's JDBC engine as its {@code JdbcAutoConfiguration} builds it, under the same conditions, but done with an
     * aggregate at its first short batch. Axon's JDBC engine reads an aggregate until a batch comes back empty, in case
     * its sequence numbers have holes; each batch asks for a range of sequence numbers, and an aggregate's never have
     * holes here (its events are numbered on from 0 and appended in the transaction that decided them, and none is
     * ever deleted: an erasure shreds keys), so a batch shorter than the range is the last. Loading an aggregate is
     * one query instead of two. Events' timestamps are written and read as {@link JdbcEventStorage} does.
     */
    @Bean
    @ConditionalOnBean(DataSource.class)
    @ConditionalOnMissingBean({EventStorageEngine.class, EventBus.class, EventStore.class})
    EventStorageEngine eventStorageEngine(Serializer defaultSerializer,
                                          PersistenceExceptionResolver persistenceExceptionResolver,
                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                          org.axonframework.config.Configuration configuration,
                                          ConnectionProvider connectionProvider, TransactionManager transactionManager,
                                          EventSchema eventSchema) {
        return new JdbcEventStorage(JdbcEventStorageEngine.builder()
                .snapshotSerializer(defaultSerializer)
                .upcasterChain(configuration.upcasterChain())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .eventSerializer(eventSerializer)
                .snapshotFilter(configuration.snapshotFilter())
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .schema(eventSchema)
                .batchSize(AGGREGATE_BATCH_SIZE)
                .finalAggregateBatchPredicate(batch -> batch.size() < AGGREGATE_BATCH_SIZE));
    }

    /**
     * Axon's event store, as {@code AxonAutoConfiguration} builds it, but with a cache of the newest events that the
     * tracking processors share of {@code nhsv2.event-store.cached-events} (1,000) instead of Axon's 10,000. A processor
     * within that distance of the newest event reads from the cache; one further behind reads from the database until
     * it catches up. Every cached event (its stored bytes, its metadata, the payload once read) stays reachable until
     * the cache moves past it: at Axon's size 15-20 MB of a live heap of 86 MB in a booking benchmark; at this size the
     * service's RSS under load was 390 MiB instead of 459. (It did not make full collections rarer.) Here the
     * processors are a few events behind, and the confirmation saga 1,100-2,500 after a 10 s burst at full speed.
     */
    @Bean
    @ConditionalOnBean(EventStorageEngine.class)
    @ConditionalOnMissingBean({EventStore.class, EventBus.class})
    EmbeddedEventStore eventStore(EventStorageEngine storageEngine, org.axonframework.config.Configuration configuration,
                                  @Value("${nhsv2.event-store.cached-events:1000}") int cachedEvents) {
        return EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
                .cachedEvents(cachedEvents)
                .build();
    }

    /** The tracking processors' tokens, in the same transaction as what a processor writes. */
    @Bean
    @ConditionalOnMissingBean
    TokenSchema tokenSchema() {
        return TokenSchema.builder()
                .setTokenTable("token_entry")
                .setProcessorNameColumn("processor_name")
                .setSegmentColumn("segment")
                .setTokenColumn("token")
                .setTokenTypeColumn("token_type")
                .setTimestampColumn("timestamp")
                .setOwnerColumn("owner")
                .build();
    }

    /**
     * Sagas and their associations ({@code bytea} for the serialized saga: PostgreSQL's schema), a saga's row
     * locked while it is handled ({@link LockingSagaSqlSchema}).
     */
    @Bean
    @ConditionalOnMissingBean
    SagaSqlSchema sagaSqlSchema() {
        return new LockingSagaSqlSchema(SagaSchema.builder()
                .sagaEntryTable("saga_entry")
                .revisionColumn("revision")
                .serializedSagaColumn("serialized_saga")
                .associationValueEntryTable("association_value_entry")
                .associationKeyColumn("association_key")
                .associationValueColumn("association_value")
                .sagaIdColumn("saga_id")
                .sagaTypeColumn("saga_type")
                .build());
    }

    /**
     * A second event for the same aggregate and sequence number is a concurrent change (Axon's
     * {@code ConcurrencyException}, answered 409): see {@link UniqueViolations}.
     */
    @Bean
    @ConditionalOnMissingBean
    PersistenceExceptionResolver persistenceExceptionResolver() {
        return new UniqueViolations();
    }
}
