package org.nhsv2.appointment.patientdata;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.GenericEventMessage;
import org.nhsv2.appointment.api.ErasePatientPersonalDataCommand;
import org.nhsv2.appointment.api.PatientPersonalDataErasedEvent;
import org.springframework.stereotype.Component;

/**
 * Erasure deletes the key and records that it happened (who and when travel in the metadata);
 * the appointments' facts stay in the history untouched.
 */
@Component
class PersonalDataErasure {

    private final PatientDataKeys keys;

    PersonalDataErasure(PatientDataKeys keys) {
        this.keys = keys;
    }

    @CommandHandler
    void handle(ErasePatientPersonalDataCommand command, EventBus eventBus) {
        if (keys.delete(command.patientId())) {
            eventBus.publish(GenericEventMessage.asEventMessage(new PatientPersonalDataErasedEvent(command.patientId())));
        }
    }
}
