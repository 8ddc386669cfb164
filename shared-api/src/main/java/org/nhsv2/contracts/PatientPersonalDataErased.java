package org.nhsv2.contracts;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The patient's personal data was erased where it is answered; every service erases its own copy.
 *
 * @param basis     why: the name of one of the platform's {@code ErasureBasis} grounds (a string, so that a basis added
 *                  later never stops a consumer from erasing); {@code null} from a producer that did not say
 * @param reference the operator's reference for the erasure in their own records (a ticket number), or {@code null}
 */
public record PatientPersonalDataErased(UUID patientId, Instant erasedAt, String basis, String reference) {

    public PatientPersonalDataErased {
        Objects.requireNonNull(patientId, "patientId");
        Objects.requireNonNull(erasedAt, "erasedAt");
    }

    /** Without a basis or reference, as a producer from before they were added wrote it. */
    public PatientPersonalDataErased(UUID patientId, Instant erasedAt) {
        this(patientId, erasedAt, null, null);
    }
}
