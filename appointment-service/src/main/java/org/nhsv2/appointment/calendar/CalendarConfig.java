package org.nhsv2.appointment.calendar;

import org.nhsv2.appointment.saga.DoctorCalendar;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.UUID;

@Configuration(proxyBeanMethods = false)
class CalendarConfig {

    private static final Logger log = LoggerFactory.getLogger(CalendarConfig.class);

    @Bean
    DoctorCalendar doctorCalendar(GoogleCalendarSettings settings) {
        if (settings.enabled()) {
            if (settings.calendars().isEmpty()) {
                log.warn("Google Calendar is configured but no doctor's calendar is named"
                        + " (nhsv2.calendar.google.calendar-ids): doctors use the feed only");
            } else {
                log.info("Doctors' appointments go to their own Google Calendars ({} named); the others' to the feed"
                        + " only", settings.calendars().size());
            }
            return new GoogleDoctorCalendar(settings);
        }
        log.info("No Google Calendar configured (nhsv2.calendar.google.credentials-file): doctors subscribe to "
                + "GET /api/doctors/{id}/calendar.ics instead");
        return new FeedOnly();
    }

    /** Nothing to push: the feed is read from the appointment view. */
    private static final class FeedOnly implements DoctorCalendar {

        @Override
        public void put(Entry appointment) {
            // The feed shows the view, which the projection keeps.
        }

        @Override
        public void remove(UUID doctorId, UUID appointmentId) {
            // As above.
        }
    }
}
