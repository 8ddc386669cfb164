package org.nhsv2.appointment.api;

import java.time.Instant;

/**
 * Appointment times fall on whole minutes: seconds and fractions would be truncated on the way
 * into the database, so the time a client sent and the one it reads back could differ. The web
 * layer answers 400 with it, the aggregate 422, from this one rule.
 */
public final class AppointmentTimes {

    private AppointmentTimes() {
    }

    public static boolean isOnWholeMinute(Instant time) {
        return time.getEpochSecond() % 60 == 0 && time.getNano() == 0;
    }
}
