package org.nhsv2.platform.eventstore;

import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.json.MetaDataDeserializer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class MetaDataReaderTest {

    private final ObjectMapper axons = serializer().getObjectMapper();
    private final ObjectMapper ours = postProcessed(serializer()).getObjectMapper();

    @Test
    void shouldReadEveryMetaDataAsAxonsDeserializerDoes() {
        List<String> texts = List.of("{}", "{\"actorId\":\"doctor-7\",\"actorRole\":\"DOCTOR\"}",
                "{\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"correlationId\":\"c\",\"traceParentId\":null}",
                "{\"int\":1,\"long\":12345678901,\"big\":123456789012345678901234567890,\"double\":1.5,\"exp\":1e300}",
                "{\"yes\":true,\"no\":false,\"empty\":\"\",\"unicode\":\"Zoë \\u00e9 \\ud83d\\ude00\"}",
                "{\"facilities\":[\"a\",\"b\"],\"nested\":{\"list\":[1,{\"deep\":[null,true]}],\"map\":{}}}",
                "{\"same\":1,\"same\":2}");
        for (String text : texts) {
            assertThat(read(ours, text)).as(text).isEqualTo(read(axons, text));
        }
        assertThat(read(ours, "{\"n\":1,\"l\":12345678901}")).isEqualTo("{l=12345678901 (Long), n=1 (Integer)}");
    }

    @Test
    void shouldRefuseWhatAxonsDeserializerRefuses() {
        for (String text : List.of("[]", "\"text\"", "{\"a\":}", "{\"a\":1", "null")) {
            assertThat(read(ours, text)).as(text).isEqualTo(read(axons, text));
        }
    }

    @Test
    void shouldBeWhatAJacksonSerializerReadsMetaDataWithOncePostProcessed() throws Exception {
        assertThat(metaDataDeserializerOf(axons)).isInstanceOf(MetaDataDeserializer.class);
        assertThat(metaDataDeserializerOf(ours)).isInstanceOf(MetaDataReader.class);

        JacksonSerializer serializer = postProcessed(serializer());
        // A second serializer on the same mapper registers Axon's module again: Jackson ignores it by its name
        postProcessed(JacksonSerializer.builder().objectMapper(serializer.getObjectMapper()).build());
        assertThat(metaDataDeserializerOf(serializer.getObjectMapper())).isInstanceOf(MetaDataReader.class);

        MetaData metaData = MetaData.with("actorId", "doctor-7").and("facilities", List.of("f1", "f2")).and("n", 3);
        SerializedObject<byte[]> stored = serializer.serialize(metaData, byte[].class);
        assertThat(serializer.<byte[], MetaData>deserialize(stored)).isEqualTo(metaData);
    }

    static JsonDeserializer<?> metaDataDeserializerOf(ObjectMapper mapper) throws Exception {
        DefaultDeserializationContext reading = ((DefaultDeserializationContext) mapper.getDeserializationContext())
                .createDummyInstance(mapper.getDeserializationConfig());
        return reading.findRootValueDeserializer(mapper.constructType(MetaData.class));
    }

    private static JacksonSerializer serializer() {
        return JacksonSerializer.builder().objectMapper(JsonMapper.builder().build()).build();
    }

    private static JacksonSerializer postProcessed(JacksonSerializer serializer) {
        return (JacksonSerializer) EventStoreAutoConfiguration.metaDataReader()
                .postProcessAfterInitialization(serializer, "serializer");
    }

    /** The entries in key order with each value's type, or "!" and what refused the text. */
    private static String read(ObjectMapper mapper, String text) {
        try {
            MetaData metaData = mapper.readValue(text, MetaData.class);
            if (metaData == null) {
                return "null";
            }
            Map<String, String> typed = new TreeMap<>();
            metaData.forEach((key, value) -> typed.put(key,
                    value + " (" + (value == null ? "null" : value.getClass().getSimpleName()) + ")"));
            return typed.toString();
        } catch (Exception e) {
            return "! " + e.getClass().getName() + ": " + e.getMessage().lines().findFirst().orElse("");
        }
    }
}
