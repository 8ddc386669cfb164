package org.nhsv2.appointment.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

public record CancelAppointmentCommand(@TargetAggregateIdentifier UUID appointmentId, String reason) {

    /** The reason is free text a patient may write anything into: it stays out of logs. */
    @Override
    public String toString() {
        return "CancelAppointmentCommand[appointmentId=" + appointmentId + ", reason redacted]";
    }
}
