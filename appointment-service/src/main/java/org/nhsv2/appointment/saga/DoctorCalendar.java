package org.nhsv2.appointment.saga;

import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;

/**
 * Where the doctor sees their appointments. Google Calendar when configured; otherwise nothing is
 * pushed and the doctor subscribes to the feed this service serves from its own view
 * ({@code GET /api/doctors/{id}/calendar.ics}). Both calls are idempotent: the saga may repeat them.
 */
public interface DoctorCalendar {

    /** Adds the appointment, or moves it to these times if it is there already. */
    void put(Entry appointment);

    /** Takes the doctor's appointment out; nothing happens if it is not there. */
    void remove(UUID doctorId, UUID appointmentId);

    /** An appointment as the doctor's calendar shows it: its real times, in the facility's zone; no patient data. */
    record Entry(UUID appointmentId, UUID doctorId, Instant start, Instant end, ZoneId zone, String facilityName,
                 String facilityAddress) {
    }
}
