package org.nhsv2.platform.history;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.nhsv2.platform.vault.PersonalDataVault;
import org.nhsv2.platform.vault.PersonalDataVault.RecordReader;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The history of a record about one patient (an appointment, a transaction) straight from the event
 * store, where nothing can be missing: each event becomes an entry, with the patient's key at hand to
 * open what the event sealed for that record.
 */
public class SealedHistory {

    private final EventHistory history;
    private final PersonalDataVault vault;

    public SealedHistory(EventStore eventStore, PersonalDataVault vault) {
        this.history = new EventHistory(eventStore);
        this.vault = vault;
    }

    /**
     * Every event of the record as an entry, oldest first; empty for a record that does not exist or
     * began with another event than {@code creation}.
     *
     * @param patientOf whom the record is about, as the event that began it says
     * @param entry     an event's entry, its sealed values opened with the reader it is given
     */
    public <E, T> Optional<List<T>> entries(UUID recordId, Class<E> creation, Function<E, UUID> patientOf,
                                            BiFunction<DomainEventMessage<?>, RecordReader, T> entry) {
        return history.of(recordId, creation).map(begun -> {
            RecordReader sealed = vault.readerFor(patientOf.apply(begun.creation()), recordId);
            return begun.events().stream().<T>map(event -> entry.apply(event, sealed)).toList();
        });
    }
}
