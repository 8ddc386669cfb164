package org.nhsv2.appointment.calendar;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Google Calendar for doctors' appointments. Off unless {@code credentialsFile} names a service
 * account's JSON key (the account needs write access to {@code calendarId}, shared with it).
 *
 * @param apiBase root URL of the API (tests point it at WireMock)
 */
@ConfigurationProperties("nhsv2.calendar.google")
public record GoogleCalendarSettings(String credentialsFile, String calendarId, String apiBase, Duration timeout) {

    public GoogleCalendarSettings {
        calendarId = calendarId == null || calendarId.isBlank() ? "primary" : calendarId;
        apiBase = apiBase == null || apiBase.isBlank() ? "https://www.googleapis.com/" : apiBase;
        timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
    }

    public boolean enabled() {
        return credentialsFile != null && !credentialsFile.isBlank();
    }
}
