package org.nhsv2.payment.command;

import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.junit.jupiter.api.Test;
import org.nhsv2.payment.api.TransactionInitiatedEvent;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class TransactionInitiatedEventUpcasterTest {

    private static final UUID TRANSACTION = UUID.fromString("70000000-0000-0000-0000-000000000001");
    private static final String REVISION_ONE = "{\"transactionId\":\"" + TRANSACTION + "\",\"facilityId\":\""
            + UUID.randomUUID() + "\",\"patientId\":\"" + UUID.randomUUID() + "\",\"patientName\":\"sealed\","
            + "\"patientEmail\":\"sealed\",\"items\":[],\"currency\":\"GBP\",\"totalAmount\":4500,\"appointmentId\":null}";
    private final JacksonSerializer serializer = JacksonSerializer.defaultSerializer();

    @Test
    void shouldReadARevisionOneCheckoutAsRevisionTwoWithoutItsStart() {
        assertThat(upcast("1", REVISION_ONE)).singleElement().satisfies(event -> {
            assertThat(event.getType().getRevision()).isEqualTo("2");
            TransactionInitiatedEvent initiated = (TransactionInitiatedEvent) serializer.deserialize(event.getData());
            assertThat(initiated.transactionId()).isEqualTo(TRANSACTION);
            assertThat(initiated.initiatedAt()).isNull();
        });
    }

    @Test
    void shouldLeaveARevisionTwoCheckoutAsItIs() {
        String json = REVISION_ONE.replace("\"appointmentId\":null", "\"appointmentId\":null,"
                + "\"initiatedAt\":\"2030-03-04T09:00:00Z\"");

        assertThat(upcast("2", json)).singleElement().satisfies(event ->
                assertThat(((TransactionInitiatedEvent) serializer.deserialize(event.getData())).initiatedAt())
                        .isEqualTo(Instant.parse("2030-03-04T09:00:00Z")));
    }

    private List<IntermediateEventRepresentation> upcast(String revision, String json) {
        GenericDomainEventEntry<byte[]> stored = new GenericDomainEventEntry<>("Transaction", TRANSACTION.toString(), 0,
                UUID.randomUUID().toString(), Instant.now(), TransactionInitiatedEvent.class.getTypeName(), revision,
                json.getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8));
        return new TransactionInitiatedEventUpcaster().upcast(Stream.of(new InitialEventRepresentation(stored, serializer)))
                .toList();
    }
}
