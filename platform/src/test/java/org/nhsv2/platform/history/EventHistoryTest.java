package org.nhsv2.platform.history;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class EventHistoryTest {

    private static final UUID AGGREGATE = UUID.fromString("f0000000-0000-0000-0000-000000000001");

    private record Opened(UUID patientId) {
    }

    private record Closed(String reason) {
    }

    private EventStore eventStore;
    private EventHistory history;

    @BeforeEach
    void setUp() {
        eventStore = mock(EventStore.class);
        history = new EventHistory(eventStore);
    }

    private void givenEvents(Object... payloads) {
        DomainEventMessage<?>[] events = new DomainEventMessage<?>[payloads.length];
        for (int i = 0; i < payloads.length; i++) {
            events[i] = new GenericDomainEventMessage<>("Thing", AGGREGATE.toString(), i, payloads[i]);
        }
        when(eventStore.readEvents(AGGREGATE.toString())).thenReturn(DomainEventStream.of(events));
    }

    @Test
    void shouldGiveTheBeginningEventAndEveryEventOldestFirstWhenTheAggregateBeganWithIt() {
        Opened opened = new Opened(UUID.randomUUID());
        givenEvents(opened, new Closed("done"));

        var begun = history.of(AGGREGATE, Opened.class).orElseThrow();

        assertThat(begun.creation()).isEqualTo(opened);
        assertThat(begun.events()).extracting(DomainEventMessage::getSequenceNumber).containsExactly(0L, 1L);
        assertThat(begun.events().stream().<Object>map(DomainEventMessage::getPayload).toList())
                .containsExactly(opened, new Closed("done"));
    }

    @Test
    void shouldBeEmptyWhenTheAggregateDoesNotExist() {
        givenEvents();

        assertThat(history.of(AGGREGATE, Opened.class)).isEmpty();
    }

    @Test
    void shouldBeEmptyWhenTheAggregateBeganWithAnotherEvent() {
        givenEvents(new Closed("first"), new Opened(UUID.randomUUID()));

        assertThat(history.of(AGGREGATE, Opened.class)).isEmpty();
    }

    @Test
    void shouldNameAnEventByItsPayloadTypeWithoutTheEventSuffix() {
        record ThingOpenedEvent() {
        }
        givenEvents(new ThingOpenedEvent());

        assertThat(EventHistory.typeOf(history.of(AGGREGATE).get(0))).isEqualTo("ThingOpened");
    }
}
