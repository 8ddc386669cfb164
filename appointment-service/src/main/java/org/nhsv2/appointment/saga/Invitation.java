package org.nhsv2.appointment.saga;

import net.fortuna.ical4j.model.TimeZone;
import net.fortuna.ical4j.model.TimeZoneRegistry;
import net.fortuna.ical4j.model.TimeZoneRegistryFactory;
import org.nhsv2.appointment.api.CalendarEntry;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
 * offsets and rules) was a third of the confirmation saga's CPU: ical4j renders it once per zone. The
 * rest, a dozen lines, is written here (RFC 5545: text escaped, lines folded at 75 octets): building
 * and printing ical4j's model of it for every email was 3 % of the service's CPU under a booking load.
 * {@code InvitationTest} reads every invitation back with ical4j and validates it.
 */
record Invitation(UUID appointmentId, boolean cancelled, int sequence, Instant start, Instant end, ZoneId zone,
                  String facilityName, String facilityAddress, String organizer, String attendee, Instant stamp) {

    static final String FILE_NAME = "appointment.ics";
    private static final TimeZoneRegistry ZONES = TimeZoneRegistryFactory.getInstance().createRegistry();
    private static final Map<ZoneId, String> ZONE_DEFINITIONS = new ConcurrentHashMap<>();
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /** The attachment's content type: mail clients offer "accept" only when it names the method. */
    String contentType() {
        return "text/calendar; charset=UTF-8; method=" + method();
    }

    String toIcs() {
        Lines ics = new Lines();
        ics.add("BEGIN:VCALENDAR");
        ics.add("PRODID:-//NHSv2//Appointments//EN");
        ics.add("VERSION:2.0");
        ics.add("CALSCALE:GREGORIAN");
        ics.add("METHOD:" + method());
        ics.addFolded(ZONE_DEFINITIONS.computeIfAbsent(zone, Invitation::definition));
        ics.add("BEGIN:VEVENT");
        ics.add("DTSTAMP:" + UTC.format(stamp));
        ics.add("DTSTART;TZID=" + zone.getId() + ":" + LOCAL.format(start.atZone(zone)));
        ics.add("DTEND;TZID=" + zone.getId() + ":" + LOCAL.format(end.atZone(zone)));
        ics.add("SUMMARY:" + text("Appointment at " + facilityName));
        ics.add("UID:" + text(CalendarEntry.uid(appointmentId)));
        ics.add("SEQUENCE:" + sequence);
        ics.add("LOCATION:" + text(facilityName + ", " + facilityAddress));
        ics.add("STATUS:" + (cancelled ? "CANCELLED" : "CONFIRMED"));
        ics.add("ORGANIZER:" + mailto(organizer));
        ics.add("ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=" + (cancelled ? "DECLINED" : "NEEDS-ACTION") + ";RSVP=TRUE:"
                + mailto(attendee));
        ics.add("END:VEVENT");
        ics.add("END:VCALENDAR");
        return ics.toString();
    }

    /** The zone's {@code VTIMEZONE} component, folded (nothing for a zone ical4j does not know). */
    private static String definition(ZoneId zone) {
        TimeZone timeZone = ZONES.getTimeZone(zone.getId());
        if (timeZone == null) {
            return "";
        }
        Lines definition = new Lines();
        timeZone.getVTimeZone().toString().lines().forEach(definition::add);
        return definition.toString();
    }

    private String method() {
        return cancelled ? "CANCEL" : "REQUEST";
    }

    /** A TEXT value (RFC 5545, 3.3.11): backslash, semicolon, comma and line breaks escaped. */
    static String text(String value) {
        StringBuilder escaped = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\', ';', ',' -> escaped.append('\\').append(c);
                case '\n' -> escaped.append("\\n");
                case '\r' -> {
                    escaped.append("\\n");
                    if (i + 1 < value.length() && value.charAt(i + 1) == '\n') {
                        i++;
                    }
                }
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** A calendar user's address; {@link URI#create} refuses what is not one, as ical4j did. */
    private static String mailto(String address) {
        return URI.create("mailto:" + address).toString();
    }

    /** Content lines ended by CRLF and folded at 75 octets, never inside a character's UTF-8 bytes. */
    private static final class Lines {

        private static final int MAX_OCTETS = 75;
        private final StringBuilder text = new StringBuilder(2048);

        void add(String line) {
            int octets = 0;
            for (int i = 0; i < line.length(); ) {
                int codePoint = line.codePointAt(i);
                int size = utf8Length(codePoint);
                if (octets + size > MAX_OCTETS) {
                    text.append("\r\n ");
                    octets = 1;
                }
                text.appendCodePoint(codePoint);
                octets += size;
                i += Character.charCount(codePoint);
            }
            text.append("\r\n");
        }

        /** Lines this class has already ended and folded. */
        void addFolded(String lines) {
            text.append(lines);
        }

        private static int utf8Length(int codePoint) {
            return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
