package org.nhsv2.payment.api;

import java.util.UUID;

/**
 * A transaction's personal and free-text fields, sealed with the patient's key; each sealed value is
 * bound to its transaction and to one of these names.
 */
public final class SealedFields {

    public static final String PATIENT_NAME = "patientName";
    public static final String PATIENT_EMAIL = "patientEmail";

    private SealedFields() {
    }

    /** Each refund's reason is bound to its own refund, so reasons cannot be swapped between refunds. */
    public static String refundReason(UUID refundId) {
        return "refundReason:" + refundId;
    }

    /** Why an email was not sent, bound to its request. */
    public static String emailFailure(UUID requestId) {
        return "emailFailure:" + requestId;
    }
}
