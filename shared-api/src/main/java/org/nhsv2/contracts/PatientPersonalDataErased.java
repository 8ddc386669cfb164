package org.nhsv2.contracts;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** The patient's personal data was erased where it is answered; every service erases its own copy. */
public record PatientPersonalDataErased(UUID patientId, Instant erasedAt) {

    public PatientPersonalDataErased {
        Objects.requireNonNull(patientId, "patientId");
        Objects.requireNonNull(erasedAt, "erasedAt");
    }
}
