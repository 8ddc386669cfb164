package org.nhsv2.platform.vault;

import java.util.UUID;

/** Remembered requests that were made about a patient; an erasure deletes them with the key. */
public interface IdempotencyRecords {

    /** Deletes the patient's records in the caller's transaction; returns how many there were. */
    int deleteFor(UUID patientId);
}
