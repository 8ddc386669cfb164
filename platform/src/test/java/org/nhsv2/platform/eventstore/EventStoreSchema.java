package org.nhsv2.platform.eventstore;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.autoconfig.AxonAutoConfiguration;
import org.axonframework.springboot.autoconfig.AxonServerAutoConfiguration;
import org.axonframework.springboot.autoconfig.AxonServerBusAutoConfiguration;
import org.axonframework.springboot.autoconfig.AxonTracingAutoConfiguration;
import org.axonframework.springboot.autoconfig.EventProcessingAutoConfiguration;
import org.axonframework.springboot.autoconfig.InfraConfiguration;
import org.axonframework.springboot.autoconfig.JdbcAutoConfiguration;
import org.axonframework.springboot.autoconfig.ObjectMapperAutoConfiguration;
import org.flywaydb.core.Flyway;
import org.nhsv2.platform.PlatformDatabase;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.util.function.Consumer;

/**
 * Axon's event store on a schema of its own in the platform's test database: Axon's tables from the platform's
 * migrations, the JDBC and Axon auto-configurations a service runs with, and the platform's event-store one. A schema
 * per test class, so what one test stores (a million events) is seen by no other; dropped before and after use.
 */
final class EventStoreSchema {

    private static final String USER = "nhsv2_platform";

    private final String name;

    EventStoreSchema(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
                        DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
                        JdbcTemplateAutoConfiguration.class,
                        AxonAutoConfiguration.class, AxonTracingAutoConfiguration.class, InfraConfiguration.class,
                        EventProcessingAutoConfiguration.class,
                        ObjectMapperAutoConfiguration.class, JdbcAutoConfiguration.class,
                        org.axonframework.springboot.autoconfig.TransactionAutoConfiguration.class,
                        AxonServerAutoConfiguration.class, AxonServerBusAutoConfiguration.class,
                        EventStoreAutoConfiguration.class))
                .withPropertyValues(
                        "spring.datasource.url=" + url(),
                        "spring.datasource.username=" + USER,
                        "spring.datasource.password=" + USER,
                        "spring.flyway.locations=classpath:db/platform",
                        "spring.flyway.schemas=" + name,
                        "axon.axonserver.enabled=false",
                        "axon.serializer.general=jackson",
                        "axon.serializer.events=jackson",
                        "axon.serializer.messages=jackson");
    }

    /** The platform test database with this schema first on the search path, for Flyway, Axon and plain SQL. */
    String url() {
        return PlatformDatabase.URL + (PlatformDatabase.URL.contains("?") ? "&" : "?") + "currentSchema=" + name;
    }

    void drop() {
        withJdbc(jdbc -> jdbc.execute("drop schema if exists " + name + " cascade"));
    }

    /** Axon's tables (the platform's migrations) in the schema, without starting a context. */
    void migrate() {
        Flyway.configure().dataSource(url(), USER, USER).schemas(name).locations("classpath:db/platform").load().migrate();
    }

    /** Plain SQL on one connection of its own, the schema first on its search path. */
    void withJdbc(Consumer<JdbcTemplate> work) {
        SingleConnectionDataSource dataSource = new SingleConnectionDataSource(url(), USER, USER, true);
        try {
            work.accept(new JdbcTemplate(dataSource));
        } finally {
            dataSource.destroy();
        }
    }

    /** Axon's JDBC engine as its auto-configuration builds it in this context, before {@code build()}. */
    static JdbcEventStorageEngine.Builder stockBuilder(ApplicationContext context) {
        org.axonframework.config.Configuration configuration =
                context.getBean(org.axonframework.config.Configuration.class);
        return JdbcEventStorageEngine.builder()
                .snapshotSerializer(context.getBean(Serializer.class))
                .upcasterChain(configuration.upcasterChain())
                .persistenceExceptionResolver(context.getBean(PersistenceExceptionResolver.class))
                .eventSerializer(context.getBean("eventSerializer", Serializer.class))
                .snapshotFilter(configuration.snapshotFilter())
                .connectionProvider(context.getBean(ConnectionProvider.class))
                .transactionManager(context.getBean(TransactionManager.class))
                .schema(context.getBean(EventSchema.class));
    }
}
