package org.nhsv2.appointment.api;

/** Lifecycle of an appointment; every state but {@link #BOOKED} is final. */
public enum AppointmentStatus {
    BOOKED,
    CANCELLED,
    FULFILLED,
    NO_SHOW;

    public boolean isFinal() {
        return this != BOOKED;
    }
}
