package org.nhsv2.platform.eventstore;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.UnitOfWorkAwareConnectionProviderWrapper;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Loading an aggregate from the platform's JDBC engine: every event, in order, and no query more than needed. */
class AggregateReadsIT {

    private static final EventStoreSchema SCHEMA = new EventStoreSchema("aggregate_reads_it");

    @BeforeAll
    static void freshSchema() {
        SCHEMA.drop();
    }

    @AfterAll
    static void dropSchema() {
        SCHEMA.drop();
    }

    /**
     * An aggregate is read in ranges of 100 sequence numbers, and its numbers have no holes, so a short range is the
     * last: Axon's JDBC default asks once more, for an empty one.
     */
    @Test
    void shouldReadAnAggregateUpToItsFirstShortBatch() {
        SCHEMA.runner().withUserConfiguration(CountedConnections.class).run(context -> {
            EventStorageEngine engine = context.getBean(EventStorageEngine.class);
            AtomicInteger connections = context.getBean(CountedConnections.class).taken;
            TransactionTemplate transactions = context.getBean(TransactionTemplate.class);
            for (int count : new int[] {3, 100, 250}) {
                String aggregate = "aggregate-of-" + count;
                transactions.executeWithoutResult(status -> engine.appendEvents(IntStream.range(0, count)
                        .mapToObj(sequence -> new GenericDomainEventMessage<>("Test", aggregate, sequence, "event " + sequence))
                        .toList()));

                int before = connections.get();
                List<Long> read = engine.readEvents(aggregate).asStream()
                        .map(DomainEventMessage::getSequenceNumber).toList();
                int queries = connections.get() - before;

                assertThat(read).as("%d events", count).isEqualTo(LongStream.range(0, count).boxed().toList());
                // one per range of 100, up to the first short (or empty) one; Axon's default would add an empty one
                assertThat(queries).as("queries for %d events", count).isEqualTo(count / 100 + 1);
            }
        });
    }

    /** Axon's connection provider, counting the connections its stores ask for: one per query. */
    @Configuration(proxyBeanMethods = false)
    static class CountedConnections {

        final AtomicInteger taken = new AtomicInteger();

        @Bean
        ConnectionProvider countedConnectionProvider(DataSource dataSource) {
            ConnectionProvider axons = new UnitOfWorkAwareConnectionProviderWrapper(
                    new SpringDataSourceConnectionProvider(dataSource));
            return () -> {
                taken.incrementAndGet();
                return axons.getConnection();
            };
        }
    }
}
