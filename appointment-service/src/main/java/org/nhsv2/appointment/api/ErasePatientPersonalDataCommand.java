package org.nhsv2.appointment.api;

import java.util.UUID;

/** Crypto-shreds a patient's personal data by deleting their data key. */
public record ErasePatientPersonalDataCommand(UUID patientId) {
}
