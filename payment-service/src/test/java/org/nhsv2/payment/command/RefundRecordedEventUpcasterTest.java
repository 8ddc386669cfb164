package org.nhsv2.payment.command;

import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.junit.jupiter.api.Test;
import org.nhsv2.payment.api.RefundRecordedEvent;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class RefundRecordedEventUpcasterTest {

    private static final UUID TRANSACTION = UUID.fromString("70000000-0000-0000-0000-000000000001");
    private final JacksonSerializer serializer = JacksonSerializer.defaultSerializer();

    @Test
    void shouldReadARevisionOneRefundAsRevisionTwoWithoutItsPayment() {
        List<IntermediateEventRepresentation> upcasted = upcast("1", "{\"transactionId\":\"" + TRANSACTION
                + "\",\"stripeRefundId\":\"re_dashboard\",\"stripeEventId\":\"evt_1\",\"amount\":1000}");

        assertThat(upcasted).singleElement().satisfies(event -> {
            assertThat(event.getType().getRevision()).isEqualTo("2");
            assertThat((RefundRecordedEvent) serializer.deserialize(event.getData())).isEqualTo(
                    new RefundRecordedEvent(TRANSACTION, "re_dashboard", "evt_1", 1000, null));
        });
    }

    @Test
    void shouldLeaveARevisionTwoRefundAsItIs() {
        String json = "{\"transactionId\":\"" + TRANSACTION + "\",\"stripeRefundId\":\"re_dashboard\","
                + "\"stripeEventId\":\"evt_1\",\"amount\":1000,\"paymentIntentId\":\"pi_1\"}";

        assertThat(upcast("2", json)).singleElement().satisfies(event ->
                assertThat((RefundRecordedEvent) serializer.deserialize(event.getData())).isEqualTo(
                        new RefundRecordedEvent(TRANSACTION, "re_dashboard", "evt_1", 1000, "pi_1")));
    }

    private List<IntermediateEventRepresentation> upcast(String revision, String json) {
        GenericDomainEventEntry<byte[]> stored = new GenericDomainEventEntry<>("Transaction", TRANSACTION.toString(), 3,
                UUID.randomUUID().toString(), Instant.now(), RefundRecordedEvent.class.getTypeName(), revision,
                json.getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8));
        return new RefundRecordedEventUpcaster().upcast(Stream.of(new InitialEventRepresentation(stored, serializer)))
                .toList();
    }
}
