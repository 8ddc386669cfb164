package org.nhsv2.appointment.calendar;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Google Calendar for doctors' appointments. Off unless {@code credentialsFile} names a service account's JSON key.
 * Each doctor's appointments go to that doctor's own calendar, shared with the account (write access); a doctor with
 * none named subscribes to the feed instead. One calendar for every doctor would show each of them all the others'
 * appointments, which the feed's own rule (a doctor reads their own) forbids.
 *
 * @param calendarIds each doctor's calendar: {@code doctorId=calendarId} pairs, separated by commas
 * @param calendarId  the one calendar for every doctor of earlier versions ({@code GOOGLE_CALENDAR_ID}): still set with
 *                    the credentials, it stops the start, so that a deployment does not go on without calendars, unaware
 * @param apiBase     root URL of the API (tests point it at WireMock)
 */
@ConfigurationProperties("nhsv2.calendar.google")
public record GoogleCalendarSettings(String credentialsFile, String calendarIds, String calendarId, String apiBase,
                                     Duration timeout) {

    public GoogleCalendarSettings {
        if (credentialsFile != null && !credentialsFile.isBlank() && calendarId != null && !calendarId.isBlank()) {
            throw new IllegalArgumentException("nhsv2.calendar.google.calendar-id (GOOGLE_CALENDAR_ID) put every doctor's"
                    + " appointments in one calendar, which showed each doctor the others': name each doctor's own in"
                    + " calendar-ids (GOOGLE_CALENDAR_IDS), unset it, and empty and unshare the old calendar");
        }
        calendarIds = calendarIds == null ? "" : calendarIds.strip();
        apiBase = apiBase == null || apiBase.isBlank() ? "https://www.googleapis.com/" : apiBase;
        timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
        calendars(calendarIds); // a malformed list stops the start, naming the pair
    }

    public boolean enabled() {
        return credentialsFile != null && !credentialsFile.isBlank();
    }

    /** Each doctor's calendar id, by the doctor's id. */
    public Map<UUID, String> calendars() {
        return calendars(calendarIds);
    }

    private static Map<UUID, String> calendars(String calendarIds) {
        Map<UUID, String> calendars = new HashMap<>();
        if (calendarIds.isEmpty()) {
            return calendars;
        }
        for (String pair : calendarIds.split(",")) {
            int equals = pair.indexOf('=');
            String calendar = equals < 0 ? "" : pair.substring(equals + 1).strip();
            UUID doctor;
            try {
                doctor = UUID.fromString(equals < 0 ? pair.strip() : pair.substring(0, equals).strip());
            } catch (IllegalArgumentException e) {
                doctor = null;
            }
            if (doctor == null || calendar.isEmpty() || calendars.put(doctor, calendar) != null) {
                throw new IllegalArgumentException("nhsv2.calendar.google.calendar-ids: '" + pair.strip()
                        + "' is not one doctorId=calendarId pair of a doctor named once");
            }
        }
        return Map.copyOf(calendars);
    }
}
