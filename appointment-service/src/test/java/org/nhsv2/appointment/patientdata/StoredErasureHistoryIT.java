package org.nhsv2.appointment.patientdata;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.nhsv2.appointment.IntegrationTest;
import org.nhsv2.platform.api.PatientPersonalDataErasedEvent;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Erasures stored in this service's own first event type still read correctly from the store, as the platform's. */
class StoredErasureHistoryIT extends IntegrationTest {

    @Autowired
    private EventStore eventStore;

    @Test
    void shouldUpcastARevisionOneErasureStoredEarlierWhenTheStoreIsRead() throws InterruptedException {
        UUID patient = UUID.randomUUID();
        String eventId = UUID.randomUUID().toString();
        jdbc.update("""
                insert into domain_event_entry (global_index, sequence_number, meta_data, payload, aggregate_identifier,
                    event_identifier, payload_revision, payload_type, time_stamp, type)
                values (nextval('domain_event_entry_global_index_seq'), 0, ?, ?, ?, ?, '1', ?, '2026-11-01T10:00:00Z', null)""",
                "{\"actorRole\":\"ADMIN\"}".getBytes(StandardCharsets.UTF_8),
                ("{\"patientId\":\"" + patient + "\"}").getBytes(StandardCharsets.UTF_8), eventId, eventId,
                ErasedEventUpcaster.OLD_TYPE);

        assertThat(readFromTheStart(eventId)).isEqualTo(new PatientPersonalDataErasedEvent(patient, true, null, 0, null, null));
    }

    /** As the event processors read: the whole stream, in order, to the event with this id. */
    private Object readFromTheStart(String eventId) throws InterruptedException {
        try (BlockingStream<TrackedEventMessage<?>> stream = eventStore.openStream(null)) {
            while (stream.hasNextAvailable(5, TimeUnit.SECONDS)) {
                TrackedEventMessage<?> event = stream.nextAvailable();
                if (event.getIdentifier().equals(eventId)) {
                    return event.getPayload();
                }
            }
        }
        throw new AssertionError("event " + eventId + " not found in the stream");
    }
}
