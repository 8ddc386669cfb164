package org.nhsv2.platform.api;

import java.util.UUID;

/**
 * Crypto-shreds a patient's personal data by deleting their data key.
 *
 * @param basis     why; {@code null} only when told of an erasure by a service that did not say
 * @param reference the operator's reference in their own records, or {@code null}
 */
public record ErasePatientPersonalDataCommand(UUID patientId, ErasureBasis basis, String reference) {
}
