package org.nhsv2.appointment.patientdata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;
import org.nhsv2.appointment.api.PatientPersonalDataErasedEvent;
import org.springframework.stereotype.Component;

/**
 * Revision 1 of {@link PatientPersonalDataErasedEvent} held only the patient id, and was stored only
 * when a key was deleted: so it did destroy a key (whose id it did not record) and deleted no requests.
 */
@Component
class ErasedEventUpcaster extends SingleEventUpcaster {

    private static final String TYPE = PatientPersonalDataErasedEvent.class.getTypeName();
    private static final SimpleSerializedType REVISION_1 = new SimpleSerializedType(TYPE, "1");
    private static final SimpleSerializedType REVISION_2 = new SimpleSerializedType(TYPE, "2");

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return REVISION_1.equals(representation.getType());
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        return representation.upcastPayload(REVISION_2, JsonNode.class, payload -> {
            ObjectNode event = (ObjectNode) payload.deepCopy();
            event.put("dataKeyDestroyed", true);
            event.putNull("destroyedKeyId");
            event.put("idempotencyRecordsDeleted", 0);
            return event;
        });
    }
}
