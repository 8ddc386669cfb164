package org.nhsv2.appointment.api;

import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.UUID;

/** An email about the appointment (confirmation, change, reminder) reached the patient's provider. */
@Revision("1")
public record ConfirmationDeliveredEvent(UUID appointmentId, UUID facilityId, Instant start, UUID requestId,
                                         String providerMessageId, Instant deliveredAt) {
}
