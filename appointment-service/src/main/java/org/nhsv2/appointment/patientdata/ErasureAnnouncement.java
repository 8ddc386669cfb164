package org.nhsv2.appointment.patientdata;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.nhsv2.contracts.PatientPersonalDataErased;
import org.nhsv2.platform.api.PatientPersonalDataErasedEvent;
import org.nhsv2.platform.messaging.IntegrationMessages;
import org.springframework.stereotype.Component;

import java.time.Instant;

/**
 * Tells every other service that a patient was erased here, once the erasure is stored; they erase
 * their own copies. From a tracking processor: a broker that does not confirm fails the handler, which
 * is retried until it does, so no erasure goes untold. Consumers are idempotent, so telling twice
 * (a replay) is harmless.
 */
@Component
@ProcessingGroup(ErasureAnnouncement.PROCESSING_GROUP)
class ErasureAnnouncement {

    static final String PROCESSING_GROUP = "erasure-announcement";

    private final IntegrationMessages messages;

    ErasureAnnouncement(IntegrationMessages messages) {
        this.messages = messages;
    }

    @EventHandler
    void on(PatientPersonalDataErasedEvent event, @Timestamp Instant erasedAt) {
        messages.publish(new PatientPersonalDataErased(event.patientId(), erasedAt,
                event.basis() == null ? null : event.basis().name(), event.reference()));
    }
}
