package org.nhsv2.appointment.patientdata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;
import org.nhsv2.platform.api.PatientPersonalDataErasedEvent;
import org.springframework.stereotype.Component;

/**
 * Erasures this service stored before erasure moved into the platform were of its own type,
 * {@code org.nhsv2.appointment.api.PatientPersonalDataErasedEvent}; they read as the platform's.
 * Revision 1 of the old type held only the patient id, and was stored only when a key was deleted:
 * so it did destroy a key (whose id it did not record) and deleted no requests. Revision 2 had the
 * platform event's first fields already. Both read as the platform's revision 2, without a ground (asked for only
 * since): so the platform's own upcaster from its revision 1 need not run after this one.
 */
@Component
class ErasedEventUpcaster extends SingleEventUpcaster {

    static final String OLD_TYPE = "org.nhsv2.appointment.api.PatientPersonalDataErasedEvent";
    private static final SimpleSerializedType OLD_REVISION_1 = new SimpleSerializedType(OLD_TYPE, "1");
    private static final SimpleSerializedType OLD_REVISION_2 = new SimpleSerializedType(OLD_TYPE, "2");
    private static final SimpleSerializedType PLATFORM = new SimpleSerializedType(
            PatientPersonalDataErasedEvent.class.getTypeName(), "2");

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return OLD_REVISION_1.equals(representation.getType()) || OLD_REVISION_2.equals(representation.getType());
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        boolean firstRevision = OLD_REVISION_1.equals(representation.getType());
        return representation.upcastPayload(PLATFORM, JsonNode.class, payload -> {
            ObjectNode event = (ObjectNode) payload.deepCopy();
            if (firstRevision) {
                event.put("dataKeyDestroyed", true);
                event.putNull("destroyedKeyId");
                event.put("idempotencyRecordsDeleted", 0);
            }
            event.putNull("basis");
            event.putNull("reference");
            return event;
        });
    }
}
