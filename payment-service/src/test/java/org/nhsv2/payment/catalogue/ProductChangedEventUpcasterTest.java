package org.nhsv2.payment.catalogue;

import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.junit.jupiter.api.Test;
import org.nhsv2.payment.api.ProductChangedEvent;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ProductChangedEventUpcasterTest {

    private static final UUID PRODUCT = UUID.fromString("b0000000-0000-4000-8000-000000000001");
    private final JacksonSerializer serializer = JacksonSerializer.defaultSerializer();

    @Test
    void shouldReadARevisionOneChangeAsRevisionTwoWithoutAReason() {
        List<IntermediateEventRepresentation> upcasted = upcast("1", "{\"productId\":\"" + PRODUCT
                + "\",\"previousName\":null,\"name\":null,\"previousUnitAmount\":4500,\"unitAmount\":5000,"
                + "\"previousActive\":null,\"active\":null}");

        assertThat(upcasted).singleElement().satisfies(event -> {
            assertThat(event.getType().getRevision()).isEqualTo("2");
            assertThat((ProductChangedEvent) serializer.deserialize(event.getData())).isEqualTo(
                    new ProductChangedEvent(PRODUCT, null, null, 4500L, 5000L, null, null, null));
        });
    }

    @Test
    void shouldLeaveARevisionTwoChangeAsItIs() {
        String json = "{\"productId\":\"" + PRODUCT + "\",\"previousName\":null,\"name\":null,\"previousUnitAmount\":null,"
                + "\"unitAmount\":null,\"previousActive\":true,\"active\":false,\"reason\":\"Withdrawn\"}";

        assertThat(upcast("2", json)).singleElement().satisfies(event ->
                assertThat((ProductChangedEvent) serializer.deserialize(event.getData())).isEqualTo(
                        new ProductChangedEvent(PRODUCT, null, null, null, null, true, false, "Withdrawn")));
    }

    private List<IntermediateEventRepresentation> upcast(String revision, String json) {
        GenericDomainEventEntry<byte[]> stored = new GenericDomainEventEntry<>(null, UUID.randomUUID().toString(), 0,
                UUID.randomUUID().toString(), Instant.now(), ProductChangedEvent.class.getTypeName(), revision,
                json.getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8));
        return new ProductChangedEventUpcaster().upcast(Stream.of(new InitialEventRepresentation(stored, serializer)))
                .toList();
    }
}
