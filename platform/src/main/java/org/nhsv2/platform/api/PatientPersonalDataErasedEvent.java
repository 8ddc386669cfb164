package org.nhsv2.platform.api;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/**
 * Audit record of an erasure, stored whether or not there was anything to erase: once the key is
 * gone every sealed field of this patient reads as erased, and anything stored for the patient later
 * comes after this event. Who erased travels in the metadata; why, here.
 *
 * @param destroyedKeyId            the data key destroyed; {@code null} if there was none, or not recorded
 * @param idempotencyRecordsDeleted stored requests about this patient that were deleted
 * @param basis                     why; {@code null} in erasures recorded before it was asked for (revision 1), or told
 *                                  by a service that did not say
 * @param reference                 the operator's reference for it in their own records, or {@code null}
 */
@Revision("2")
public record PatientPersonalDataErasedEvent(UUID patientId, boolean dataKeyDestroyed, UUID destroyedKeyId,
                                             int idempotencyRecordsDeleted, ErasureBasis basis, String reference) {
}
