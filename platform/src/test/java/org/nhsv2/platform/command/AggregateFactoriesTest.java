package org.nhsv2.platform.command;

import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.AggregateFactory;
import org.axonframework.eventsourcing.GenericAggregateFactory;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.config.SpringAggregateConfigurer;
import org.axonframework.spring.config.SpringAggregateLookup;
import org.axonframework.spring.eventsourcing.SpringPrototypeAggregateFactory;
import org.axonframework.spring.stereotype.Aggregate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.test.util.ReflectionTestUtils;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Axon's own lookup of {@code @Aggregate} beans in the context: a plain aggregate gets the platform's factory under
 * the name Axon asks for, and makes the same aggregate (or takes the same snapshot) as Axon's Spring factory; the others
 * keep Axon's.
 */
class AggregateFactoriesTest {

    @Aggregate
    static class Plain {
        @AggregateIdentifier
        private String id;
        private final String state = "new";
    }

    @Aggregate
    static class Injected {
        @AggregateIdentifier
        private String id;
        @Autowired
        private transient Clock clock;
    }

    @Aggregate
    abstract static class Parent {
        @AggregateIdentifier
        private String id;
    }

    @Aggregate
    static class Child extends Parent {
    }

    @Aggregate
    static class OwnFactory {
        @AggregateIdentifier
        private String id;
    }

    private static AnnotationConfigApplicationContext context(boolean withPlatformFactories) {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        context.registerBean(Clock.class, Clock::systemUTC);
        for (Class<?> aggregate : new Class<?>[] {Plain.class, Injected.class, Parent.class, Child.class, OwnFactory.class}) {
            context.registerBean(aggregate);
        }
        context.registerBean("ownFactoryAggregateFactory", GenericAggregateFactory.class, OwnFactory.class);
        context.registerBean(SpringAggregateLookup.class);
        // The repositories Axon's lookup declares need Axon's whole configuration: made only when asked for.
        context.registerBean(LazyInitializationBeanFactoryPostProcessor.class);
        if (withPlatformFactories) {
            context.registerBean(AggregateFactories.class);
        }
        context.refresh();
        return context;
    }

    @Test
    void shouldMakeAPlainAggregateByItsConstructorAsAxonsSpringFactoryWould() {
        try (AnnotationConfigApplicationContext ours = context(true); AnnotationConfigApplicationContext axons = context(false)) {
            assertThat(ours.getBean("plainAggregateFactory")).isInstanceOf(ConstructorAggregateFactory.class);
            assertThat(axons.getBean("plainAggregateFactory")).isInstanceOf(SpringPrototypeAggregateFactory.class);
            assertThat(ours.getBeansOfType(SpringAggregateConfigurer.class).values())
                    .filteredOn(registrar -> ReflectionTestUtils.getField(registrar, "aggregateType") == Plain.class)
                    .singleElement().extracting(registrar -> ReflectionTestUtils.getField(registrar, "aggregateFactory"))
                    .isEqualTo("plainAggregateFactory");

            GenericDomainEventMessage<String> first = new GenericDomainEventMessage<>("Plain", "p-1", 0, "booked");
            Plain byUs = this.<Plain>factory(ours, "plainAggregateFactory").createAggregateRoot("p-1", first);
            Plain byAxon = this.<Plain>factory(axons, "plainAggregateFactory").createAggregateRoot("p-1", first);
            assertThat(byUs).isNotSameAs(factory(ours, "plainAggregateFactory").createAggregateRoot("p-1", first))
                    .usingRecursiveComparison().isEqualTo(byAxon);
            assertThat(this.<Plain>factory(ours, "plainAggregateFactory").getAggregateType()).isEqualTo(Plain.class);

            Plain snapshot = new Plain();
            GenericDomainEventMessage<Plain> fromSnapshot = new GenericDomainEventMessage<>("Plain", "p-1", 4, snapshot);
            assertThat(this.<Plain>factory(ours, "plainAggregateFactory").createAggregateRoot("p-1", fromSnapshot))
                    .isSameAs(snapshot)
                    .isSameAs(this.<Plain>factory(axons, "plainAggregateFactory").createAggregateRoot("p-1", fromSnapshot));
        }
    }

    @Test
    void shouldLeaveInjectedPolymorphicAndOwnFactoriesAsTheyWere() {
        try (AnnotationConfigApplicationContext ours = context(true)) {
            assertThat(ours.getBean("injectedAggregateFactory")).isInstanceOf(SpringPrototypeAggregateFactory.class);
            Injected injected = this.<Injected>factory(ours, "injectedAggregateFactory")
                    .createAggregateRoot("i-1", new GenericDomainEventMessage<>("Injected", "i-1", 0, "booked"));
            assertThat(injected.clock).isSameAs(ours.getBean(Clock.class));

            assertThat(ours.getBean("parentAggregateFactory")).isInstanceOf(SpringPrototypeAggregateFactory.class);
            assertThat(ours.containsBeanDefinition("childAggregateFactory")).isFalse();
            assertThat(ours.getBean("ownFactoryAggregateFactory")).isInstanceOf(GenericAggregateFactory.class);
        }
    }

    @SuppressWarnings("unchecked")
    private <A> AggregateFactory<A> factory(AnnotationConfigApplicationContext context, String name) {
        return (AggregateFactory<A>) context.getBean(name, AggregateFactory.class);
    }
}
