package org.nhsv2.appointment.api;

import java.time.Instant;
import java.util.UUID;

/**
 * One appointment in a doctor's calendar: no patient name or reason, since calendars are shared and
 * synchronised to places the service does not control. {@code version} rises with every change.
 */
public record CalendarEntry(UUID appointmentId, Instant start, Instant end, AppointmentStatus status,
                            String facilityName, String facilityAddress, long version) {

    /**
     * The iCalendar {@code UID} of an appointment, the same in the patient's invitation, the doctor's
     * feed and Google Calendar, so every calendar sees one event that changes.
     */
    public static String uid(UUID appointmentId) {
        return appointmentId + "@nhsv2";
    }
}
