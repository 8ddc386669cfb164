package org.nhsv2.appointment.api;

import org.nhsv2.platform.api.ErrorCode;
import org.nhsv2.platform.api.Rejection.Kind;

/**
 * Every business rejection, with the stable code clients see as the problem type. The kind decides
 * the HTTP status at the edge; the command side knows nothing of HTTP.
 */
public enum AppointmentError implements ErrorCode {
    APPOINTMENT_NOT_FOUND("appointment-not-found", Kind.NOT_FOUND, "No such appointment"),
    FACILITY_FORBIDDEN("facility-forbidden", Kind.FORBIDDEN, "You are not a member of that facility"),
    DOCTOR_UNAVAILABLE("doctor-unavailable", Kind.CONFLICT, "The doctor already has an appointment overlapping that time"),
    PATIENT_UNAVAILABLE("patient-unavailable", Kind.CONFLICT, "The patient already has an appointment overlapping that time"),
    NOT_BOOKED("appointment-not-booked", Kind.CONFLICT, "The appointment is no longer booked: it was cancelled, fulfilled or marked no-show"),
    ALREADY_STARTED("appointment-already-started", Kind.CONFLICT, "The appointment has already started"),
    NOT_STARTED("appointment-not-started", Kind.CONFLICT, "The appointment has not started yet"),
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", Kind.CONFLICT, "The Idempotency-Key was already used with a different request"),
    DUPLICATE_REQUEST("duplicate-request", Kind.CONFLICT, "The request was already processed"),
    START_IN_PAST("start-in-past", Kind.RULE_VIOLATION, "The start must be in the future"),
    START_NOT_ON_WHOLE_MINUTE("start-not-on-whole-minute", Kind.RULE_VIOLATION, "The start must be on a whole minute"),
    START_TOO_FAR_AHEAD("start-too-far-ahead", Kind.RULE_VIOLATION,
            "The start must be at most " + AppointmentTimes.BOOKING_HORIZON_YEARS + " years ahead"),
    INVALID_DURATION("invalid-duration", Kind.RULE_VIOLATION, "The duration must be between 5 and 240 minutes"),
    REASON_TOO_LONG("reason-too-long", Kind.RULE_VIOLATION, "The reason must be at most 500 characters"),
    REASON_REQUIRED("reason-required", Kind.RULE_VIOLATION, "A reason is required"),
    UNKNOWN_FACILITY("unknown-facility", Kind.RULE_VIOLATION, "No such facility"),
    DOCTOR_NOT_IN_FACILITY("doctor-not-in-facility", Kind.RULE_VIOLATION, "The doctor does not work at that facility"),
    NOTHING_TO_CHANGE("nothing-to-change", Kind.RULE_VIOLATION, "The new time equals the current one");

    public static final int MIN_DURATION_MINUTES = 5;
    public static final int MAX_DURATION_MINUTES = 240;
    public static final int MAX_REASON_LENGTH = 500;

    private final Definition definition;

    AppointmentError(String code, Kind kind, String title) {
        this.definition = new Definition(code, kind, title);
    }

    @Override
    public Definition definition() {
        return definition;
    }
}
