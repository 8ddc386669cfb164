package org.nhsv2.platform.eventstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

import java.util.List;

/**
 * Reads an event stored at one revision as the next, which added fields: the older events hold none, so they read
 * with them {@code null}. A service declares one per change, as a bean, saying what the fields' absence means.
 */
public class FieldAddedUpcaster extends SingleEventUpcaster {

    private final SimpleSerializedType from;
    private final SimpleSerializedType to;
    private final List<String> fields;

    protected FieldAddedUpcaster(Class<?> eventType, String fromRevision, String toRevision, String... fields) {
        this.from = new SimpleSerializedType(eventType.getTypeName(), fromRevision);
        this.to = new SimpleSerializedType(eventType.getTypeName(), toRevision);
        this.fields = List.of(fields);
    }

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return from.equals(representation.getType());
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        return representation.upcastPayload(to, JsonNode.class, payload -> {
            ObjectNode event = (ObjectNode) payload.deepCopy();
            fields.forEach(event::putNull);
            return event;
        });
    }
}
