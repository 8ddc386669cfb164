package org.nhsv2.appointment.api;

import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.UUID;

/** An email about the appointment could not be sent; {@code permanent} when nothing more will be tried. */
@Revision("1")
public record ConfirmationFailedEvent(UUID appointmentId, UUID facilityId, Instant start, UUID requestId,
                                      String reason, boolean permanent) {
}
