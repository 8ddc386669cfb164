package org.nhsv2.appointment.api;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The time rules that the web layer answers with 400 and the aggregate with 422, from one place.
 *
 * <p>Appointment times fall on whole minutes: seconds and fractions would be truncated on the way
 * into the database, so the time a client sent and the one it reads back could differ.
 *
 * <p>Every date a client sends is bounded: a booking at most {@value #BOOKING_HORIZON_YEARS} years
 * ahead, a listing within {@value #LISTING_WINDOW_YEARS} years of today. Past these lies no use, only
 * arithmetic at the edge of what dates can hold.
 */
public final class AppointmentTimes {

    public static final int BOOKING_HORIZON_YEARS = 5;
    public static final int LISTING_WINDOW_YEARS = 10;

    private AppointmentTimes() {
    }

    public static boolean isOnWholeMinute(Instant time) {
        return time.getEpochSecond() % 60 == 0 && time.getNano() == 0;
    }

    public static boolean isWithinBookingHorizon(Instant start, Instant now) {
        return !start.isAfter(now.atOffset(ZoneOffset.UTC).plusYears(BOOKING_HORIZON_YEARS).toInstant());
    }

    public static boolean isWithinListingWindow(LocalDate day, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        return !day.isBefore(today.minusYears(LISTING_WINDOW_YEARS)) && !day.isAfter(today.plusYears(LISTING_WINDOW_YEARS));
    }
}
