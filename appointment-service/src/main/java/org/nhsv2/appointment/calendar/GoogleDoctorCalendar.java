package org.nhsv2.appointment.calendar;

import com.google.api.client.googleapis.json.GoogleJsonError;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    private static final int FORBIDDEN = 403;
    private static final int REQUEST_TIMEOUT = 408;
    private static final int TOO_MANY_REQUESTS = 429;
    /** 403 reasons that mean "later", not "never" (Google Calendar's "Handle API errors"). */
    private static final Set<String> RATE_LIMITS = Set.of("rateLimitExceeded", "userRateLimitExceeded");
    private static final Logger log = LoggerFactory.getLogger(GoogleDoctorCalendar.class);

    private final Calendar google;
    /** Each doctor's own calendar; a doctor not named has none here, and uses the feed. */
    private final Map<UUID, String> calendars;

    public GoogleDoctorCalendar(GoogleCalendarSettings settings) {
        this.calendars = settings.calendars();
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
        String calendarId = calendars.get(appointment.doctorId());
        if (calendarId == null) {
            return;
        }
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
            if (e.getStatusCode() == CONFLICT) {
                update(calendarId, event, appointment.appointmentId());
            } else if (refusedForGood(e)) {
                leftOut("the appointment", appointment.appointmentId(), e);
            } else {
                throw new IllegalStateException("Google Calendar refused the appointment: " + e.getStatusCode(), e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Google Calendar did not answer", e);
        }
    }

    @Override
    public void remove(UUID doctorId, UUID appointmentId) {
        String calendarId = calendars.get(doctorId);
        if (calendarId == null) {
            return;
        }
        try {
            google.events().delete(calendarId, eventId(appointmentId)).execute();
        } catch (GoogleJsonResponseException e) {
            if (e.getStatusCode() == NOT_FOUND || e.getStatusCode() == GONE) {
                return;
            }
            if (!refusedForGood(e)) {
                throw new IllegalStateException("Google Calendar refused the removal: " + e.getStatusCode(), e);
            }
            leftOut("the removal", appointmentId, e);
        } catch (IOException e) {
            throw new UncheckedIOException("Google Calendar did not answer", e);
        }
    }

    /** Already there (inserted before, or cancelled and now booked again): put these times on it. */
    private void update(String calendarId, Event event, UUID appointmentId) {
        try {
            google.events().update(calendarId, event.getId(), event.setStatus("confirmed")).execute();
        } catch (GoogleJsonResponseException e) {
            if (!refusedForGood(e)) {
                throw new IllegalStateException("Google Calendar refused the change: " + e.getStatusCode(), e);
            }
            leftOut("the change", appointmentId, e);
        } catch (IOException e) {
            throw new UncheckedIOException("Google Calendar did not take the change", e);
        }
    }

    /**
     * A refusal that asking again will not change: a calendar id Google does not know, a service account
     * that lost its access, a request Google will not take. Thrown, it would have the confirmation saga's
     * processor retry the event for good, and every email and reminder of the appointments after it in its
     * segment wait for Google; the doctor's calendar is worth less than those. Google's rate limits (429, or
     * 403 with a rate-limit reason) and its own failures (5xx, a timeout, no answer) are retried.
     */
    private static boolean refusedForGood(GoogleJsonResponseException e) {
        int status = e.getStatusCode();
        if (status < 400 || status >= 500 || status == REQUEST_TIMEOUT || status == TOO_MANY_REQUESTS) {
            return false;
        }
        GoogleJsonError details = e.getDetails();
        return status != FORBIDDEN || details == null || details.getErrors() == null || details.getErrors().stream()
                .noneMatch(error -> RATE_LIMITS.contains(error.getReason()));
    }

    private static void leftOut(String what, UUID appointmentId, GoogleJsonResponseException e) {
        log.error("Google Calendar refused {} of appointment {} ({} {}): the doctor's calendar goes without it;"
                        + " check the calendar id and the service account's access to it", what, appointmentId,
                e.getStatusCode(), e.getStatusMessage());
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
