package org.nhsv2.platform.command;

import org.axonframework.spring.eventsourcing.SpringPrototypeAggregateFactory;
import org.axonframework.spring.stereotype.Aggregate;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/** Each plain aggregate made by its constructor, not as a Spring prototype bean: see {@link AggregateFactories}. */
@AutoConfiguration
@ConditionalOnClass({Aggregate.class, SpringPrototypeAggregateFactory.class})
public class AggregateFactoriesAutoConfiguration {

    /** Static: it registers bean definitions, so it is made before any configuration class is. */
    @Bean
    static AggregateFactories aggregateFactories() {
        return new AggregateFactories();
    }
}
