package org.nhsv2.platform.api;

import java.time.Instant;
import java.util.UUID;

/** What an erasure did, as the caller is told. */
public record PersonalDataErasureReport(UUID patientId, Instant erasedAt, boolean dataKeyDestroyed,
                                        int idempotencyRecordsDeleted, ErasureBasis basis, String reference) {
}
