package org.nhsv2.payment.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;
import org.nhsv2.payment.api.RefundRecordedEvent;
import org.springframework.stereotype.Component;

/**
 * Refunds made at Stripe directly that were stored before the payment they give back was kept (revision 1) read as
 * revision 2 without it: not known to give back another payment, they stay counted, as they were.
 */
@Component
class RefundRecordedEventUpcaster extends SingleEventUpcaster {

    private static final SimpleSerializedType REVISION_1 =
            new SimpleSerializedType(RefundRecordedEvent.class.getTypeName(), "1");
    private static final SimpleSerializedType REVISION_2 =
            new SimpleSerializedType(RefundRecordedEvent.class.getTypeName(), "2");

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return REVISION_1.equals(representation.getType());
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        return representation.upcastPayload(REVISION_2, JsonNode.class, payload -> {
            ObjectNode event = (ObjectNode) payload.deepCopy();
            event.putNull("paymentIntentId");
            return event;
        });
    }
}
