package org.nhsv2.appointment.api;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/** Audit record of an erasure: the key is gone, so every sealed field of this patient reads as erased. */
@Revision("1")
public record PatientPersonalDataErasedEvent(UUID patientId) {
}
