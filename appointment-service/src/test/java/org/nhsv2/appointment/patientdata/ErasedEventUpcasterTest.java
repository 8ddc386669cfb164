package org.nhsv2.appointment.patientdata;

import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.junit.jupiter.api.Test;
import org.nhsv2.platform.api.PatientPersonalDataErasedEvent;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ErasedEventUpcasterTest {

    private static final UUID PATIENT = UUID.fromString("e0000000-0000-0000-0000-00000000000a");
    private final JacksonSerializer serializer = JacksonSerializer.defaultSerializer();

    @Test
    void shouldReadTheServicesOwnRevisionOneErasureAsThePlatformsThatDestroyedAnUnnamedKeyAndNoRequests() {
        PatientPersonalDataErasedEvent event = upcastAndRead("1", "{\"patientId\":\"" + PATIENT + "\"}");

        assertThat(event).isEqualTo(new PatientPersonalDataErasedEvent(PATIENT, true, null, 0, null, null));
    }

    @Test
    void shouldReadTheServicesOwnRevisionTwoErasureAsThePlatformsWithItsFields() {
        UUID key = UUID.randomUUID();
        PatientPersonalDataErasedEvent event = upcastAndRead("2", "{\"patientId\":\"" + PATIENT
                + "\",\"dataKeyDestroyed\":false,\"destroyedKeyId\":\"" + key + "\",\"idempotencyRecordsDeleted\":3}");

        assertThat(event).isEqualTo(new PatientPersonalDataErasedEvent(PATIENT, false, key, 3, null, null));
    }

    private PatientPersonalDataErasedEvent upcastAndRead(String revision, String json) {
        GenericDomainEventEntry<byte[]> stored = new GenericDomainEventEntry<>(null, UUID.randomUUID().toString(), 0,
                UUID.randomUUID().toString(), Instant.now(), ErasedEventUpcaster.OLD_TYPE, revision,
                json.getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8));
        List<IntermediateEventRepresentation> upcasted = new ErasedEventUpcaster()
                .upcast(Stream.of(new InitialEventRepresentation(stored, serializer))).toList();
        assertThat(upcasted).hasSize(1);
        assertThat(upcasted.get(0).getType().getName()).isEqualTo(PatientPersonalDataErasedEvent.class.getName());
        assertThat(upcasted.get(0).getType().getRevision()).isEqualTo("2");
        assertThat(upcasted.get(0).getData(com.fasterxml.jackson.databind.JsonNode.class).getData().has("basis"))
                .as("without a ground, written out").isTrue();
        SerializedObject<?> data = upcasted.get(0).getData();
        return serializer.deserialize(data);
    }
}
