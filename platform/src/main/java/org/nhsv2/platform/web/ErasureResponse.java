package org.nhsv2.platform.web;

import org.nhsv2.platform.api.EncryptedText;
import org.nhsv2.platform.api.ErasureBasis;
import org.nhsv2.platform.api.PersonalDataErasureReport;

import java.time.Instant;
import java.util.UUID;

/** What an erasure did, and on what ground, for the operator who asked and for their records. */
public record ErasureResponse(UUID patientId, Instant erasedAt, boolean dataKeyDestroyed, int idempotencyRecordsDeleted,
                              ErasureBasis basis, String reference, String summary) {

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
                report.idempotencyRecordsDeleted(), report.basis(), report.reference(), key + requests
                + " The erasure is recorded, on the ground " + report.basis()
                + (report.reference() == null ? "" : " (" + report.reference() + ")")
                + "; anything stored for this patient later comes after it.");
    }
}
