package org.nhsv2.appointment.api;

/**
 * The appointment's personal and clinical fields, sealed with the patient's key. Each sealed value is
 * bound to its appointment and to one of these names, so it opens only where it was written.
 */
public final class SealedFields {

    public static final String PATIENT_NAME = "patientName";
    public static final String PATIENT_EMAIL = "patientEmail";
    public static final String REASON = "reason";
    public static final String RESCHEDULE_REASON = "rescheduleReason";
    public static final String CANCELLATION_REASON = "cancellationReason";

    private SealedFields() {
    }
}
