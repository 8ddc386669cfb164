package org.nhsv2.platform.api;

import java.util.UUID;

/** Crypto-shreds a patient's personal data by deleting their data key. */
public record ErasePatientPersonalDataCommand(UUID patientId) {
}
