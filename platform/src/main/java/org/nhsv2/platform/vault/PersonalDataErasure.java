package org.nhsv2.platform.vault;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.GenericEventMessage;
import org.nhsv2.platform.api.ErasePatientPersonalDataCommand;
import org.nhsv2.platform.api.PatientPersonalDataErasedEvent;
import org.nhsv2.platform.api.PersonalDataErasureReport;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Erasure destroys the patient's data key (under the patient's lock, see {@link PatientDataKeys}),
 * deletes the requests remembered for them, and records what it did as an event, also when there was
 * nothing to erase. Who erased travels in the metadata, why in the event; the service's facts stay in the history.
 */
class PersonalDataErasure {

    private final PatientDataKeys keys;
    private final List<IdempotencyRecords> idempotencyRecords;
    private final Clock clock;

    PersonalDataErasure(PatientDataKeys keys, List<IdempotencyRecords> idempotencyRecords, Clock clock) {
        this.keys = keys;
        this.idempotencyRecords = idempotencyRecords;
        this.clock = clock;
    }

    @CommandHandler
    PersonalDataErasureReport handle(ErasePatientPersonalDataCommand command, EventBus eventBus) {
        UUID patientId = command.patientId();
        Optional<UUID> destroyedKey = keys.destroy(patientId);
        int requestsDeleted = idempotencyRecords.stream().mapToInt(records -> records.deleteFor(patientId)).sum();
        eventBus.publish(GenericEventMessage.asEventMessage(new PatientPersonalDataErasedEvent(
                patientId, destroyedKey.isPresent(), destroyedKey.orElse(null), requestsDeleted, command.basis(),
                command.reference())));
        return new PersonalDataErasureReport(patientId, clock.instant(), destroyedKey.isPresent(), requestsDeleted,
                command.basis(), command.reference());
    }
}
