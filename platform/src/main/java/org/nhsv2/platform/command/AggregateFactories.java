package org.nhsv2.platform.command;

import org.axonframework.common.StringUtils;
import org.axonframework.spring.eventsourcing.SpringPrototypeAggregateFactory;
import org.axonframework.spring.stereotype.Aggregate;
import org.nhsv2.platform.spring.InjectionAnnotations;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.util.ClassUtils;

import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Event-sourced aggregates made by their constructor, not as Spring beans. For every {@link Aggregate} Axon's Spring
 * configuration registers a {@link SpringPrototypeAggregateFactory}, which makes each aggregate it loads as a prototype
 * bean: a bean creation through every post-processor of the context, 2 % of the appointment service's CPU in a
 * booking profile (once for each command on an existing appointment), as it also configures the made bean again.
 * Axon uses a factory of its own name ({@code <aggregate>AggregateFactory}) where there is one; this registers a
 * {@link ConstructorAggregateFactory} (the no-argument constructor, which Spring's would call) under that name for
 * each aggregate with nothing for Spring to inject, no subtypes and no factory of the service's own. The others stay
 * as Axon makes them.
 */
public final class AggregateFactories implements BeanDefinitionRegistryPostProcessor {

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
        if (!(registry instanceof ConfigurableListableBeanFactory beans)) {
            return;
        }
        List<Class<?>> aggregates = new ArrayList<>();
        for (String name : beans.getBeanNamesForAnnotation(Aggregate.class)) {
            Class<?> type = beans.getType(name, false);
            if (type != null) {
                aggregates.add(ClassUtils.getUserClass(type));
            }
        }
        for (Class<?> aggregate : aggregates) {
            String factoryName = StringUtils.lowerCaseFirstCharacterOf(aggregate.getSimpleName()) + "AggregateFactory";
            if (constructedPlainly(aggregate, aggregates) && !registry.containsBeanDefinition(factoryName)) {
                RootBeanDefinition factory = new RootBeanDefinition(ConstructorAggregateFactory.class);
                factory.getConstructorArgumentValues().addIndexedArgumentValue(0, aggregate);
                registry.registerBeanDefinition(factoryName, factory);
            }
        }
    }

    /** Nothing injected, concrete, and neither a subtype nor a supertype of another aggregate. */
    private static boolean constructedPlainly(Class<?> aggregate, List<Class<?>> aggregates) {
        boolean polymorphic = aggregates.stream().anyMatch(other -> other != aggregate
                && (other.isAssignableFrom(aggregate) || aggregate.isAssignableFrom(other)));
        return !polymorphic && !Modifier.isAbstract(aggregate.getModifiers()) && !InjectionAnnotations.anyIn(aggregate);
    }
}
