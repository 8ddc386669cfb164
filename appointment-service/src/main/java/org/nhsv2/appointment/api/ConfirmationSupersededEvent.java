package org.nhsv2.appointment.api;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/**
 * An email about the appointment was not sent because {@code supersededBy}, written after a later change (a move,
 * the cancellation), had reached the patient first: not a failure, and the view's email status stays as it was.
 */
@Revision("1")
public record ConfirmationSupersededEvent(UUID appointmentId, UUID facilityId, UUID requestId, UUID supersededBy) {
}
