package org.nhsv2.appointment.calendar;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.client.util.DateTime;
import com.google.api.services.calendar.Calendar;
import com.google.api.services.calendar.CalendarScopes;
import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.EventDateTime;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.GoogleCredentials;
import org.nhsv2.appointment.api.CalendarEntry;
import org.nhsv2.appointment.saga.DoctorCalendar;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The doctor's calendar in Google Calendar, through Google's own client with a service account.
 * The event id derives from the appointment id, so a repeated insert (a retried saga handler) meets
 * the existing event and updates it instead of adding a second. Start and end are the appointment's,
 * in the facility's zone: the original system used the time of the call.
 */
public class GoogleDoctorCalendar implements DoctorCalendar {

    private static final int CONFLICT = 409;
    private static final int NOT_FOUND = 404;
    private static final int GONE = 410;

    private final Calendar google;
    private final String calendarId;

    public GoogleDoctorCalendar(GoogleCalendarSettings settings) {
        this.calendarId = settings.calendarId();
        GoogleCredentials credentials = credentials(Path.of(settings.credentialsFile()));
        HttpCredentialsAdapter authorised = new HttpCredentialsAdapter(credentials);
        int timeout = (int) settings.timeout().toMillis();
        this.google = new Calendar.Builder(new NetHttpTransport(), GsonFactory.getDefaultInstance(), request -> {
            authorised.initialize(request);
            request.setConnectTimeout(timeout);
            request.setReadTimeout(timeout);
        }).setRootUrl(settings.apiBase()).setApplicationName("nhsv2-appointment-service").build();
    }

    /** Google's event ids allow the characters a-v and 0-9: a UUID's hex digits without dashes. */
    static String eventId(UUID appointmentId) {
        return "nhsv2" + appointmentId.toString().replace("-", "");
    }

    @Override
    public void put(Entry appointment) {
        Event event = new Event()
                .setId(eventId(appointment.appointmentId()))
                .setSummary("Appointment at " + appointment.facilityName())
                .setLocation(appointment.facilityName() + ", " + appointment.facilityAddress())
                .setStart(at(appointment.start(), appointment))
                .setEnd(at(appointment.end(), appointment))
                .setICalUID(CalendarEntry.uid(appointment.appointmentId()));
        try {
            google.events().insert(calendarId, event).execute();
        } catch (GoogleJsonResponseException e) {
            if (e.getStatusCode() != CONFLICT) {
                throw new IllegalStateException("Google Calendar refused the appointment: " + e.getStatusCode(), e);
            }
            update(event);
        } catch (IOException e) {
            throw new UncheckedIOException("Google Calendar did not answer", e);
        }
    }

    @Override
    public void remove(UUID appointmentId) {
        try {
            google.events().delete(calendarId, eventId(appointmentId)).execute();
        } catch (GoogleJsonResponseException e) {
            if (e.getStatusCode() != NOT_FOUND && e.getStatusCode() != GONE) {
                throw new IllegalStateException("Google Calendar refused the removal: " + e.getStatusCode(), e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Google Calendar did not answer", e);
        }
    }

    /** Already there (inserted before, or cancelled and now booked again): put these times on it. */
    private void update(Event event) {
        try {
            google.events().update(calendarId, event.getId(), event.setStatus("confirmed")).execute();
        } catch (IOException e) {
            throw new UncheckedIOException("Google Calendar did not take the change", e);
        }
    }

    private static EventDateTime at(Instant instant, Entry appointment) {
        return new EventDateTime().setDateTime(new DateTime(instant.toEpochMilli()))
                .setTimeZone(appointment.zone().getId());
    }

    private static GoogleCredentials credentials(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return GoogleCredentials.fromStream(in).createScoped(List.of(CalendarScopes.CALENDAR_EVENTS));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the Google service account key " + file, e);
        }
    }
}
