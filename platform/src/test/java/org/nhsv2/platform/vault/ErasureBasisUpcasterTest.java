package org.nhsv2.platform.vault;

import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.junit.jupiter.api.Test;
import org.nhsv2.platform.api.ErasureBasis;
import org.nhsv2.platform.api.PatientPersonalDataErasedEvent;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ErasureBasisUpcasterTest {

    private static final UUID PATIENT = UUID.fromString("e0000000-0000-0000-0000-00000000000b");
    private static final UUID KEY = UUID.fromString("e0000000-0000-0000-0000-00000000000c");
    private final JacksonSerializer serializer = JacksonSerializer.defaultSerializer();

    @Test
    void shouldReadARevisionOneErasureAsRevisionTwoWithoutAGround() {
        List<IntermediateEventRepresentation> upcasted = upcast("1", "{\"patientId\":\"" + PATIENT
                + "\",\"dataKeyDestroyed\":true,\"destroyedKeyId\":\"" + KEY + "\",\"idempotencyRecordsDeleted\":2}");

        assertThat(upcasted).singleElement().satisfies(event -> {
            assertThat(event.getType().getRevision()).isEqualTo("2");
            assertThat(event.getData(com.fasterxml.jackson.databind.JsonNode.class).getData().has("basis")).isTrue();
            assertThat((PatientPersonalDataErasedEvent) serializer.deserialize(event.getData())).isEqualTo(
                    new PatientPersonalDataErasedEvent(PATIENT, true, KEY, 2, null, null));
        });
    }

    @Test
    void shouldLeaveARevisionTwoErasureAsItIs() {
        String json = "{\"patientId\":\"" + PATIENT + "\",\"dataKeyDestroyed\":false,\"destroyedKeyId\":null,"
                + "\"idempotencyRecordsDeleted\":0,\"basis\":\"LEGAL_OBLIGATION\",\"reference\":\"ORDER-7\"}";

        assertThat(upcast("2", json)).singleElement().satisfies(event ->
                assertThat((PatientPersonalDataErasedEvent) serializer.deserialize(event.getData())).isEqualTo(
                        new PatientPersonalDataErasedEvent(PATIENT, false, null, 0, ErasureBasis.LEGAL_OBLIGATION,
                                "ORDER-7")));
    }

    private List<IntermediateEventRepresentation> upcast(String revision, String json) {
        GenericDomainEventEntry<byte[]> stored = new GenericDomainEventEntry<>(null, PATIENT.toString(), 0,
                UUID.randomUUID().toString(), Instant.now(), PatientPersonalDataErasedEvent.class.getTypeName(), revision,
                json.getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8));
        return new ErasureBasisUpcaster().upcast(Stream.of(new InitialEventRepresentation(stored, serializer))).toList();
    }
}
