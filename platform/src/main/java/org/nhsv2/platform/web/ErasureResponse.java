package org.nhsv2.platform.web;

import org.nhsv2.platform.api.EncryptedText;
import org.nhsv2.platform.api.PersonalDataErasureReport;

import java.time.Instant;
import java.util.UUID;

/** What an erasure did, for the operator who asked and for their records. */
public record ErasureResponse(UUID patientId, Instant erasedAt, boolean dataKeyDestroyed, int idempotencyRecordsDeleted,
                              String summary) {

    /** @param requestNoun what the service's idempotency records remember, e.g. "booking request" */
    public static ErasureResponse of(PersonalDataErasureReport report, String requestNoun) {
        String key = report.dataKeyDestroyed()
                ? "The patient's data key was destroyed: every name, email and reason stored for them now reads "
                + EncryptedText.ERASED + "."
                : "No personal data was stored for this patient.";
        String requests = report.idempotencyRecordsDeleted() == 0 ? ""
                : " " + report.idempotencyRecordsDeleted() + " remembered " + requestNoun
                + (report.idempotencyRecordsDeleted() == 1 ? " was" : "s were") + " deleted.";
        return new ErasureResponse(report.patientId(), report.erasedAt(), report.dataKeyDestroyed(),
                report.idempotencyRecordsDeleted(), key + requests
                + " The erasure is recorded; anything stored for this patient later comes after it.");
    }
}
