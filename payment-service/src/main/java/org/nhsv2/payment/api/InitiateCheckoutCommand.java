package org.nhsv2.payment.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.nhsv2.platform.api.IdempotencyKey;

import java.util.List;
import java.util.UUID;

/** Opens a payment for a patient at a facility; prices come from the catalogue, never from the caller. */
public record InitiateCheckoutCommand(@TargetAggregateIdentifier UUID transactionId, UUID facilityId, UUID patientId, String patientName,
        String patientEmail, List<RequestedItem> items, UUID appointmentId, IdempotencyKey idempotencyKey) {

    public InitiateCheckoutCommand {
        items = List.copyOf(items);
    }

    /** Personal data stays out of logs. */
    @Override
    public String toString() {
        return "InitiateCheckoutCommand[transactionId=" + transactionId + ", facilityId=" + facilityId + ", patientId="
                + patientId + ", items=" + items + ", appointmentId=" + appointmentId + ", personal data redacted]";
    }
}
