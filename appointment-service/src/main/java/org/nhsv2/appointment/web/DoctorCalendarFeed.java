package org.nhsv2.appointment.web;

import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.Location;
import net.fortuna.ical4j.model.property.ProdId;
import net.fortuna.ical4j.model.property.Sequence;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.immutable.ImmutableCalScale;
import net.fortuna.ical4j.model.property.immutable.ImmutableStatus;
import net.fortuna.ical4j.model.property.immutable.ImmutableVersion;
import org.nhsv2.appointment.api.AppointmentStatus;
import org.nhsv2.appointment.api.CalendarEntry;

import java.util.List;

/**
 * A doctor's appointments as an iCalendar feed a calendar client subscribes to (no {@code METHOD}:
 * a subscription, not a scheduling message): the same {@code UID} per appointment as the patient's invitation, times in UTC (every client
 * converts them), cancelled ones kept as {@code STATUS:CANCELLED} so subscribers drop them.
 */
final class DoctorCalendarFeed {

    private DoctorCalendarFeed() {
    }

    static String of(List<CalendarEntry> entries) {
        Calendar calendar = new Calendar();
        calendar.add(new ProdId("-//NHSv2//Doctor calendar//EN"));
        calendar.add(ImmutableVersion.VERSION_2_0);
        calendar.add(ImmutableCalScale.GREGORIAN);
        for (CalendarEntry entry : entries) {
            VEvent event = new VEvent(entry.start(), entry.end(), "Appointment at " + entry.facilityName());
            event.add(new Uid(CalendarEntry.uid(entry.appointmentId())));
            event.add(new Sequence((int) Math.min(Integer.MAX_VALUE, entry.version())));
            event.add(new Location(entry.facilityName() + ", " + entry.facilityAddress()));
            event.add(entry.status() == AppointmentStatus.CANCELLED
                    ? ImmutableStatus.VEVENT_CANCELLED : ImmutableStatus.VEVENT_CONFIRMED);
            calendar.add(event);
        }
        return calendar.toString();
    }
}
