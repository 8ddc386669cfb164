package org.nhsv2.platform.eventstore;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.jsontype.TypeDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import org.axonframework.messaging.MetaData;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a message's metadata as Axon's {@code MetaDataDeserializer} does (a map of strings to JSON values, read into
 * a {@code HashMap}), but finds the map's deserializer once, when Jackson sets this one up for the mapper, where
 * Axon's looks it up and sets it up again for every message it reads: two thirds of reading an event's metadata.
 * Axon's {@code JacksonSerializer} registers its own on the mapper it is given; Jackson asks the module registered
 * last first, so this one is registered after it ({@link EventStoreAutoConfiguration#metaDataReader()}).
 */
final class MetaDataReader extends JsonDeserializer<MetaData> implements ContextualDeserializer {

    private final JsonDeserializer<Object> entries;

    private MetaDataReader(JsonDeserializer<Object> entries) {
        this.entries = entries;
    }

    static Module module() {
        return new SimpleModule(MetaDataReader.class.getName()).addDeserializer(MetaData.class, new MetaDataReader(null));
    }

    @Override
    public JsonDeserializer<?> createContextual(DeserializationContext context, BeanProperty property)
            throws JsonMappingException {
        if (entries != null) {
            return this;
        }
        return new MetaDataReader(context.findRootValueDeserializer(
                context.getTypeFactory().constructMapType(Map.class, String.class, Object.class)));
    }

    @Override
    public Object deserializeWithType(JsonParser parser, DeserializationContext context,
                                      TypeDeserializer typeDeserializer) throws IOException {
        return typeDeserializer.deserializeTypedFromObject(parser, context);
    }

    @Override
    @SuppressWarnings("unchecked")
    public MetaData deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        return MetaData.from((Map<String, ?>) entries.deserialize(parser, context, new HashMap<>()));
    }
}
