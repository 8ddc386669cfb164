package org.nhsv2.platform.history;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nhsv2.platform.api.EncryptedText;
import org.nhsv2.platform.vault.PersonalDataVault;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

class SealedHistoryTest {

    private static final UUID RECORD = UUID.fromString("f0000000-0000-0000-0000-000000000001");
    private static final UUID PATIENT = UUID.fromString("e0000000-0000-0000-0000-00000000000a");

    private record Opened(UUID patientId, EncryptedText name) {
    }

    private record Renamed(EncryptedText name) {
    }

    /** An entry as a service would make it: the event's position and the name it set, opened. */
    private record Entry(long sequence, String name) {
    }

    private EventStore eventStore;
    private PersonalDataVault vault;
    private SealedHistory history;

    @BeforeEach
    void setUp() {
        eventStore = mock(EventStore.class);
        vault = mock(PersonalDataVault.class);
        when(vault.readerFor(any(UUID.class), any(UUID.class)))
                .thenReturn((text, field) -> text == null ? null : "opened " + text.ciphertext() + " as " + field);
        history = new SealedHistory(eventStore, vault);
    }

    private void givenEvents(Object... payloads) {
        DomainEventMessage<?>[] events = new DomainEventMessage<?>[payloads.length];
        for (int i = 0; i < payloads.length; i++) {
            events[i] = new GenericDomainEventMessage<>("Thing", RECORD.toString(), i, payloads[i]);
        }
        when(eventStore.readEvents(RECORD.toString())).thenReturn(DomainEventStream.of(events));
    }

    private static Entry entry(DomainEventMessage<?> event, PersonalDataVault.RecordReader sealed) {
        EncryptedText name = event.getPayload() instanceof Opened opened ? opened.name()
                : ((Renamed) event.getPayload()).name();
        return new Entry(event.getSequenceNumber(), sealed.open(name, "name"));
    }

    @Test
    void shouldMakeAnEntryOfEveryEventOldestFirstWithTheRecordsSealedValuesOpened() {
        givenEvents(new Opened(PATIENT, EncryptedText.of("a")), new Renamed(EncryptedText.of("b")));

        assertThat(history.entries(RECORD, Opened.class, Opened::patientId, SealedHistoryTest::entry)).hasValue(
                List.of(new Entry(0, "opened a as name"), new Entry(1, "opened b as name")));
        verify(vault).readerFor(PATIENT, RECORD);
    }

    @Test
    void shouldBeEmptyAndOpenNothingWhenTheRecordDoesNotExist() {
        givenEvents();

        assertThat(history.entries(RECORD, Opened.class, Opened::patientId, SealedHistoryTest::entry)).isEmpty();
        verifyNoInteractions(vault);
    }

    @Test
    void shouldBeEmptyWhenTheRecordBeganWithAnotherEvent() {
        givenEvents(new Renamed(EncryptedText.of("b")), new Opened(PATIENT, EncryptedText.of("a")));

        assertThat(history.entries(RECORD, Opened.class, Opened::patientId, SealedHistoryTest::entry)).isEmpty();
        verifyNoInteractions(vault);
    }
}
