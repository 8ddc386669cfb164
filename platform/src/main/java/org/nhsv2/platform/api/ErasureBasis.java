package org.nhsv2.platform.api;

import java.util.Arrays;
import java.util.Optional;

/**
 * Why a patient's personal data was erased: the lawful ground the operator acted on, recorded with the erasure. A
 * ground, not free text: the erasure's record outlives the data, so it must hold none of it.
 */
public enum ErasureBasis {
    /** The patient asked for their data to be erased (GDPR article 17), or withdrew the consent it was held on. */
    DATA_SUBJECT_REQUEST,
    /** The data is no longer needed: the period it was to be kept for has ended. */
    RETENTION_PERIOD_ENDED,
    /** A court, a regulator or the law requires the erasure. */
    LEGAL_OBLIGATION;

    /** The basis of that name; empty for none, or for one only a newer version knows. */
    public static Optional<ErasureBasis> named(String name) {
        return Arrays.stream(values()).filter(basis -> basis.name().equals(name)).findFirst();
    }
}
