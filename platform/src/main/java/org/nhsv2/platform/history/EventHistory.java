package org.nhsv2.platform.history;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.nhsv2.platform.api.Actor;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * An aggregate's history straight from the event store, where nothing can be missing, with what each
 * event's metadata says of its cause: the actor, the correlation id, and a service's own keys.
 */
public class EventHistory {

    private static final String CORRELATION_ID = "correlationId";

    private final EventStore eventStore;

    public EventHistory(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    /** Oldest first; empty for an aggregate that does not exist. */
    public List<? extends DomainEventMessage<?>> of(UUID aggregateId) {
        return eventStore.readEvents(aggregateId.toString()).asStream().toList();
    }

    /**
     * The history of an aggregate that an event of type {@code creation} began; empty for an aggregate
     * that does not exist or began otherwise.
     */
    public <E> Optional<Begun<E>> of(UUID aggregateId, Class<E> creation) {
        List<? extends DomainEventMessage<?>> events = of(aggregateId);
        if (events.isEmpty() || !creation.isInstance(events.get(0).getPayload())) {
            return Optional.empty();
        }
        return Optional.of(new Begun<>(creation.cast(events.get(0).getPayload()), events));
    }

    /**
     * An aggregate's history, oldest first, and the event that began it (the first of them).
     *
     * @param creation what the aggregate began with: whom it is about, for one
     */
    public record Begun<E>(E creation, List<? extends DomainEventMessage<?>> events) {
    }

    /** {@code AppointmentBookedEvent} reads "AppointmentBooked". */
    public static String typeOf(DomainEventMessage<?> event) {
        return event.getPayloadType().getSimpleName().replaceFirst("Event$", "");
    }

    public static UUID actorId(DomainEventMessage<?> event) {
        String id = text(event, Actor.ID);
        return id == null ? null : UUID.fromString(id);
    }

    public static String actorRole(DomainEventMessage<?> event) {
        return text(event, Actor.ROLE);
    }

    public static String correlationId(DomainEventMessage<?> event) {
        return text(event, CORRELATION_ID);
    }

    public static String text(DomainEventMessage<?> event, String metaDataKey) {
        Object value = event.getMetaData().get(metaDataKey);
        return value == null ? null : value.toString();
    }
}
