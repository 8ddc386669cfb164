package org.nhsv2.appointment.web;

import org.nhsv2.appointment.api.AppointmentView;
import org.nhsv2.platform.api.PersonalDataErasureReport;

import java.time.Instant;
import java.util.UUID;

/** What an erasure did, for the operator who asked and for their records. */
record ErasureResponse(UUID patientId, Instant erasedAt, boolean dataKeyDestroyed, int idempotencyRecordsDeleted,
                       String summary) {

    static ErasureResponse of(PersonalDataErasureReport report) {
        String key = report.dataKeyDestroyed()
                ? "The patient's data key was destroyed: every name, email and reason stored for them now reads "
                + AppointmentView.ERASED + "."
                : "No personal data was stored for this patient.";
        String requests = report.idempotencyRecordsDeleted() == 0 ? ""
                : " " + report.idempotencyRecordsDeleted() + " remembered booking request"
                + (report.idempotencyRecordsDeleted() == 1 ? " was" : "s were") + " deleted.";
        return new ErasureResponse(report.patientId(), report.erasedAt(), report.dataKeyDestroyed(),
                report.idempotencyRecordsDeleted(), key + requests
                + " The erasure is recorded; anything stored for this patient later comes after it.");
    }
}
