package org.nhsv2.appointment.saga;

import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.TimeZone;
import net.fortuna.ical4j.model.TimeZoneRegistry;
import net.fortuna.ical4j.model.TimeZoneRegistryFactory;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.parameter.PartStat;
import net.fortuna.ical4j.model.parameter.Role;
import net.fortuna.ical4j.model.parameter.Rsvp;
import net.fortuna.ical4j.model.property.Attendee;
import net.fortuna.ical4j.model.property.Location;
import net.fortuna.ical4j.model.property.Method;
import net.fortuna.ical4j.model.property.Organizer;
import net.fortuna.ical4j.model.property.ProdId;
import net.fortuna.ical4j.model.property.Sequence;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.immutable.ImmutableCalScale;
import net.fortuna.ical4j.model.property.immutable.ImmutableMethod;
import net.fortuna.ical4j.model.property.immutable.ImmutableStatus;
import net.fortuna.ical4j.model.property.immutable.ImmutableVersion;
import org.nhsv2.appointment.api.CalendarEntry;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The iCalendar invitation an appointment email carries, which any calendar client accepts without
 * access to the patient's calendar: one stable {@code UID} per appointment, a {@code SEQUENCE} raised
 * on each change so the client updates its copy, {@code METHOD:CANCEL} to take it out again. Times
 * are in the facility's zone (with its {@code VTIMEZONE}); no clinical reason travels in it.
 * <p>
 * A zone's {@code VTIMEZONE} is the same text in every invitation, and rendering it (its history of
 * offsets and rules) was a third of the confirmation saga's CPU: it is rendered once per zone.
 */
record Invitation(UUID appointmentId, boolean cancelled, int sequence, Instant start, Instant end, ZoneId zone,
                  String facilityName, String facilityAddress, String organizer, String attendee) {

    static final String FILE_NAME = "appointment.ics";
    private static final TimeZoneRegistry ZONES = TimeZoneRegistryFactory.getInstance().createRegistry();
    private static final Map<ZoneId, String> ZONE_DEFINITIONS = new ConcurrentHashMap<>();

    /** The attachment's content type: mail clients offer "accept" only when it names the method. */
    String contentType() {
        return "text/calendar; charset=UTF-8; method=" + method().getValue();
    }

    String toIcs() {
        VEvent event = new VEvent(start.atZone(zone), end.atZone(zone), "Appointment at " + facilityName);
        event.add(new Uid(CalendarEntry.uid(appointmentId)));
        event.add(new Sequence(sequence));
        event.add(new Location(facilityName + ", " + facilityAddress));
        event.add(cancelled ? ImmutableStatus.VEVENT_CANCELLED : ImmutableStatus.VEVENT_CONFIRMED);
        event.add(new Organizer(URI.create("mailto:" + organizer)));
        Attendee patient = new Attendee(URI.create("mailto:" + attendee));
        patient.add(Role.REQ_PARTICIPANT);
        patient.add(cancelled ? PartStat.DECLINED : PartStat.NEEDS_ACTION);
        patient.add(Rsvp.TRUE);
        event.add(patient);
        Calendar calendar = new Calendar();
        calendar.add(new ProdId("-//NHSv2//Appointments//EN"));
        calendar.add(ImmutableVersion.VERSION_2_0);
        calendar.add(ImmutableCalScale.GREGORIAN);
        calendar.add(method());
        calendar.add(event);
        String ics = calendar.toString();
        int eventBegins = ics.indexOf("BEGIN:VEVENT");
        return ics.substring(0, eventBegins) + ZONE_DEFINITIONS.computeIfAbsent(zone, Invitation::definition)
                + ics.substring(eventBegins);
    }

    /** The zone's {@code VTIMEZONE} component as text (nothing for a zone ical4j does not know). */
    private static String definition(ZoneId zone) {
        TimeZone timeZone = ZONES.getTimeZone(zone.getId());
        return timeZone == null ? "" : timeZone.getVTimeZone().toString();
    }

    private Method method() {
        return cancelled ? ImmutableMethod.CANCEL : ImmutableMethod.REQUEST;
    }
}
