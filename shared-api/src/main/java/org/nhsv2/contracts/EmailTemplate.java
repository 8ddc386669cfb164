package org.nhsv2.contracts;

import java.util.List;

/**
 * The emails notification-service knows how to write, and the model values each needs. Times are
 * ISO-8601 instants, shown in {@link #ZONE} (an IANA zone id: the facility's for appointments);
 * amounts are minor units with an ISO 4217 {@link #CURRENCY}.
 */
public enum EmailTemplate {
    APPOINTMENT_CONFIRMATION(Keys.APPOINTMENT),
    APPOINTMENT_REMINDER(Keys.APPOINTMENT),
    APPOINTMENT_RESCHEDULED(Keys.RESCHEDULE),
    APPOINTMENT_CANCELLED(Keys.APPOINTMENT),
    PAYMENT_LINK(List.of(EmailTemplate.PATIENT_NAME, EmailTemplate.AMOUNT, EmailTemplate.CURRENCY,
            EmailTemplate.CHECKOUT_URL, EmailTemplate.EXPIRES_AT)),
    PAYMENT_RECEIPT(List.of(EmailTemplate.PATIENT_NAME, EmailTemplate.AMOUNT, EmailTemplate.CURRENCY,
            EmailTemplate.PAID_AT)),
    REFUND_NOTE(List.of(EmailTemplate.PATIENT_NAME, EmailTemplate.AMOUNT, EmailTemplate.CURRENCY,
            EmailTemplate.REFUNDED_AT));

    public static final String PATIENT_NAME = "patientName";
    public static final String START = "start";
    public static final String END = "end";
    public static final String PREVIOUS_START = "previousStart";
    /** IANA zone the times are shown in; UTC when absent. */
    public static final String ZONE = "zone";
    public static final String FACILITY_NAME = "facilityName";
    public static final String FACILITY_ADDRESS = "facilityAddress";
    public static final String AMOUNT = "amount";
    public static final String CURRENCY = "currency";
    public static final String CHECKOUT_URL = "checkoutUrl";
    public static final String EXPIRES_AT = "expiresAt";
    public static final String PAID_AT = "paidAt";
    public static final String REFUNDED_AT = "refundedAt";

    private final List<String> requiredKeys;

    EmailTemplate(List<String> requiredKeys) {
        this.requiredKeys = requiredKeys;
    }

    /** The model values an email of this template cannot be written without. */
    public List<String> requiredKeys() {
        return requiredKeys;
    }

    private static final class Keys {
        static final List<String> APPOINTMENT = List.of(PATIENT_NAME, START, END, ZONE, FACILITY_NAME, FACILITY_ADDRESS);
        static final List<String> RESCHEDULE = List.of(PATIENT_NAME, START, END, PREVIOUS_START, ZONE, FACILITY_NAME,
                FACILITY_ADDRESS);
    }
}
