package org.nhsv2.appointment.saga;

import net.fortuna.ical4j.model.ComponentList;
import net.fortuna.ical4j.model.TimeZone;
import net.fortuna.ical4j.model.TimeZoneRegistry;
import net.fortuna.ical4j.model.TimeZoneRegistryFactory;
import net.fortuna.ical4j.model.component.Observance;
import net.fortuna.ical4j.model.component.VTimeZone;
import org.nhsv2.appointment.api.CalendarEntry;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The iCalendar invitation an appointment email carries, which any calendar client accepts without
 * access to the patient's calendar: one stable {@code UID} per appointment, a {@code SEQUENCE} raised
 * on each change so the client updates its copy, {@code METHOD:CANCEL} to take it out again. Times
 * are in the facility's zone (with its {@code VTIMEZONE}); no clinical reason travels in it.
 * <p>
 * A zone's {@code VTIMEZONE} holds the rules from the year before the appointment's on ({@link #definition}). It is
 * the same text in every invitation of that year, and rendering it was a third of the confirmation saga's CPU: ical4j
 * renders it once per zone and year. The
 * rest, a dozen lines, is written here (RFC 5545: text escaped, lines folded at 75 octets): building
 * and printing ical4j's model of it for every email was 3 % of the service's CPU under a booking load.
 * {@code InvitationTest} reads every invitation back with ical4j and validates it.
 */
record Invitation(UUID appointmentId, boolean cancelled, int sequence, Instant start, Instant end, ZoneId zone,
                  String facilityName, String facilityAddress, String organizer, String attendee, Instant stamp) {

    static final String FILE_NAME = "appointment.ics";
    private static final TimeZoneRegistry ZONES = TimeZoneRegistryFactory.getInstance().createRegistry();
    private static final Map<ZoneYear, String> ZONE_DEFINITIONS = new ConcurrentHashMap<>();
    /** Far enough ahead to see whether a rule of a zone's definition still begins anew after a given instant. */
    private static final OffsetDateTime ONSETS_UNTIL = OffsetDateTime.of(2200, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    /** Besides letters and digits, what RFC 6068 lets an address in a {@code mailto} URI hold unencoded. */
    private static final String MAILTO_AS_IS = "-._~!$'()*+,;:@";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** The attachment's content type: mail clients offer "accept" only when it names the method. */
    String contentType() {
        return "text/calendar; charset=UTF-8; method=" + method();
    }

    String toIcs() {
        ZonedDateTime localStart = start.atZone(zone);
        Lines ics = new Lines();
        ics.add("BEGIN:VCALENDAR");
        ics.add("PRODID:-//NHSv2//Appointments//EN");
        ics.add("VERSION:2.0");
        ics.add("CALSCALE:GREGORIAN");
        ics.add("METHOD:" + method());
        ics.addFolded(ZONE_DEFINITIONS.computeIfAbsent(new ZoneYear(zone, localStart.getYear()),
                Invitation::definition));
        ics.add("BEGIN:VEVENT");
        ics.add("DTSTAMP:" + UTC.format(stamp));
        ics.add("DTSTART;TZID=" + zone.getId() + ":" + LOCAL.format(localStart));
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

    /**
     * The zone's {@code VTIMEZONE} component, folded, with the observances an appointment in the year needs: the one in
     * effect on the first of January of the year before, and each that begins again after it (nothing for a zone
     * ical4j does not know). ical4j's definitions reach back to the zone's first rules (Europe/London's to 1847:
     * 6.3 KB of a 6.9 KB invitation, which the broker carries, the mailbox stores and the email sends). A
     * {@code VTIMEZONE} must hold the rules of the times its calendar uses (RFC 5545, 3.6.5), and CalDAV servers
     * truncate definitions the same way (RFC 7809). One at a time: ical4j keeps each observance's onsets in it,
     * unguarded, as it finds them.
     */
    static synchronized String definition(ZoneYear zoneYear) {
        TimeZone timeZone = ZONES.getTimeZone(zoneYear.zone().getId());
        if (timeZone == null) {
            return "";
        }
        VTimeZone whole = timeZone.getVTimeZone();
        OffsetDateTime from = LocalDate.of(zoneYear.year() - 1, 1, 1).atStartOfDay(zoneYear.zone()).toOffsetDateTime();
        Observance inEffect = inEffect(whole.getObservances(), from);
        List<Observance> needed = whole.getObservances().stream()
                .filter(observance -> observance == inEffect || beginsAfter(observance, from))
                .toList();
        Lines definition = new Lines();
        new VTimeZone(whole.getPropertyList(), new ComponentList<>(needed)).toString().lines().forEach(definition::add);
        return definition.toString();
    }

    /** The observance with the latest onset at or before {@code instant}, if any has one. */
    private static Observance inEffect(List<Observance> observances, OffsetDateTime instant) {
        Observance inEffect = null;
        OffsetDateTime latest = null;
        for (Observance observance : observances) {
            OffsetDateTime onset = observance.getLatestOnset(instant);
            if (onset != null && (latest == null || onset.isAfter(latest))) {
                inEffect = observance;
                latest = onset;
            }
        }
        return inEffect;
    }

    private static boolean beginsAfter(Observance observance, OffsetDateTime instant) {
        OffsetDateTime lastOnset = observance.getLatestOnset(ONSETS_UNTIL);
        return lastOnset != null && lastOnset.isAfter(instant);
    }

    /** The zone and the year of an appointment: what its invitation's {@code VTIMEZONE} depends on. */
    record ZoneYear(ZoneId zone, int year) {
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

    /**
     * A calendar user's address as a {@code mailto} URI (RFC 6068): what a URI may not hold as it is, such as
     * {@code {}, {@code |} or {@code %} (all allowed in an address's local part), percent-encoded as UTF-8.
     * Never throws: an invitation that could not be written would stop the saga's processor at its event.
     */
    private static String mailto(String address) {
        StringBuilder uri = new StringBuilder("mailto:".length() + address.length() + 8).append("mailto:");
        for (byte b : address.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || MAILTO_AS_IS.indexOf(c) >= 0)) {
                uri.append(c);
            } else {
                uri.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
            }
        }
        return uri.toString();
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
