package org.nhsv2.platform.command;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.AggregateFactory;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;

/**
 * Makes an event-sourced aggregate by its no-argument constructor, or takes it from its snapshot when the first event is
 * one: what Axon's Spring factory does for an aggregate without subtypes, without Spring. Unlike Axon's
 * {@code GenericAggregateFactory} it builds no model of the aggregate, which would need the handlers' parameters
 * resolved outside Axon's configuration (a command handler's {@code Clock} parameter, a Spring bean, cannot be).
 *
 * @param <T> the aggregate's type
 */
public final class ConstructorAggregateFactory<T> implements AggregateFactory<T> {

    private final Class<T> aggregateType;
    private final Constructor<T> constructor;

    public ConstructorAggregateFactory(Class<T> aggregateType) {
        this.aggregateType = aggregateType;
        try {
            this.constructor = aggregateType.getDeclaredConstructor();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(aggregateType + " has no constructor without arguments", e);
        }
        constructor.setAccessible(true);
    }

    @Override
    public T createAggregateRoot(String aggregateIdentifier, DomainEventMessage<?> firstEvent) {
        if (aggregateType.equals(firstEvent.getPayloadType())) {
            return aggregateType.cast(firstEvent.getPayload());
        }
        try {
            return constructor.newInstance();
        } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("Cannot make " + aggregateType.getSimpleName() + " " + aggregateIdentifier, e);
        }
    }

    @Override
    public Class<T> getAggregateType() {
        return aggregateType;
    }
}
