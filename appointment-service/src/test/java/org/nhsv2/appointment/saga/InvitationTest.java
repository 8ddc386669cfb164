package org.nhsv2.appointment.saga;

import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.TimeZone;
import net.fortuna.ical4j.model.TimeZoneRegistryFactory;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.component.VTimeZone;
import net.fortuna.ical4j.validate.ValidationResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class InvitationTest {

    private static final UUID APPOINTMENT = UUID.fromString("1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed");
    // 09:30 in London in summer time (BST, UTC+1): the invitation must say 09:30 local, not 08:30.
    private static final Instant START = Instant.parse("2027-06-01T08:30:00Z");
    private static final Instant STAMP = Instant.parse("2027-05-02T07:06:05Z");

    @Test
    void shouldBeAValidRequestWithAStableUidTheRealTimesInTheFacilityZoneAndItsAddress() throws Exception {
        Calendar calendar = parse(invitation(false, 0));

        assertThat(calendar.validate().hasErrors()).as(calendar.validate().toString()).isFalse();
        assertThat(calendar.getProperty("METHOD").orElseThrow().getValue()).isEqualTo("REQUEST");
        VEvent event = calendar.<VEvent>getComponent("VEVENT").orElseThrow();
        assertThat(event.getProperty("UID").orElseThrow().getValue()).isEqualTo(APPOINTMENT + "@nhsv2");
        assertThat(event.getProperty("SEQUENCE").orElseThrow().getValue()).isEqualTo("0");
        assertThat(event.getProperty("DTSTART").orElseThrow().getValue()).isEqualTo("20270601T093000");
        assertThat(event.getProperty("DTSTART").orElseThrow().getParameter("TZID").orElseThrow().getValue())
                .isEqualTo("Europe/London");
        assertThat(event.getProperty("DTEND").orElseThrow().getValue()).isEqualTo("20270601T100000");
        assertThat(event.getProperty("LOCATION").orElseThrow().getValue()).isEqualTo("Riverside Clinic, 1 River Road, London");
        assertThat(event.getProperty("ATTENDEE").orElseThrow().getValue()).isEqualTo("mailto:pat@example.test");
        assertThat(calendar.getComponent("VTIMEZONE")).isPresent();
        assertThat(event.getProperty("DTSTAMP").orElseThrow().getValue()).isEqualTo("20270502T070605Z");
        assertThat(event.getProperty("STATUS").orElseThrow().getValue()).isEqualTo("CONFIRMED");
        assertThat(event.getProperty("ORGANIZER").orElseThrow().getValue()).isEqualTo("mailto:appointments@nhsv2.example");
        Property attendee = event.getProperty("ATTENDEE").orElseThrow();
        assertThat(attendee.getParameter("PARTSTAT").orElseThrow().getValue()).isEqualTo("NEEDS-ACTION");
        assertThat(attendee.getParameter("ROLE").orElseThrow().getValue()).isEqualTo("REQ-PARTICIPANT");
        assertThat(attendee.getParameter("RSVP").orElseThrow().getValue()).isEqualTo("TRUE");
    }

    /** Names and addresses come from the facility table: whatever they hold must read back as it was. */
    @Test
    void shouldEscapeTextAndFoldLongLinesWithoutSplittingACharacter() throws Exception {
        String name = "St. Mary's; \"Ñandú\" Wing, Level 2 \\ Annex — 病院 🏥 with a name long enough to need folding";
        String address = "1 River Road,\nLondon\r\nSE1 7PB";
        Invitation invitation = new Invitation(APPOINTMENT, false, 0, START, START.plusSeconds(1800),
                ZoneId.of("Europe/London"), name, address, "appointments@nhsv2.example", "pat@example.test", STAMP);

        String ics = invitation.toIcs();
        Calendar calendar = parse(invitation);

        assertThat(calendar.validate().hasErrors()).as(calendar.validate().toString()).isFalse();
        VEvent event = calendar.<VEvent>getComponent("VEVENT").orElseThrow();
        assertThat(event.getProperty("SUMMARY").orElseThrow().getValue()).isEqualTo("Appointment at " + name);
        assertThat(event.getProperty("LOCATION").orElseThrow().getValue())
                .isEqualTo(name + ", 1 River Road,\nLondon\nSE1 7PB");
        assertThat(ics).endsWith("END:VCALENDAR\r\n").doesNotContain("\n\n").doesNotContain("\r\r");
        for (String line : ics.split("\r\n")) {
            assertThat(line.getBytes(StandardCharsets.UTF_8).length).as(line).isLessThanOrEqualTo(75);
            assertThat(new String(line.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(line);
        }
        assertThat(ics).contains("\r\n ");
    }

    /**
     * Bean Validation's {@code @Email} took these, and {@code URI.create} refused them: the saga's processor then
     * retried the booking's event for good, and every appointment after it in its segment waited.
     */
    @ParameterizedTest
    @CsvSource(delimiterString = " -> ", quoteCharacter = '`', value = {
            "a{b|c}@example.test -> mailto:a%7Bb%7Cc%7D@example.test",
            "100%pat@example.test -> mailto:100%25pat@example.test",
            "\"pat\u00a0one\"@example.test -> mailto:%22pat%C2%A0one%22@example.test",
            "o'brien+x@example.org -> mailto:o'brien+x@example.org"})
    void shouldNameAnyAttendeeAsAMailtoUriWithWhatAUriCannotHoldEncoded(String address, String uri) throws Exception {
        Invitation invitation = new Invitation(APPOINTMENT, false, 0, START, START.plusSeconds(1800),
                ZoneId.of("Europe/London"), "Riverside Clinic", "1 River Road, London", "appointments@nhsv2.example",
                address, STAMP);

        Calendar calendar = parse(invitation);

        assertThat(calendar.validate().hasErrors()).as(calendar.validate().toString()).isFalse();
        Property attendee = calendar.<VEvent>getComponent("VEVENT").orElseThrow().getProperty("ATTENDEE").orElseThrow();
        assertThat(attendee.getValue()).isEqualTo(uri);
        assertThat(URI.create(attendee.getValue()).getSchemeSpecificPart()).isEqualTo(address);
    }

    @Test
    void shouldCancelTheSameEventWithAHigherSequence() throws Exception {
        Calendar calendar = parse(invitation(true, 2));

        ValidationResult validation = calendar.validate();
        assertThat(validation.hasErrors()).as(validation.toString()).isFalse();
        assertThat(calendar.getProperty("METHOD").orElseThrow().getValue()).isEqualTo("CANCEL");
        VEvent event = calendar.<VEvent>getComponent("VEVENT").orElseThrow();
        assertThat(event.getProperty("UID").orElseThrow().getValue()).isEqualTo(APPOINTMENT + "@nhsv2");
        assertThat(event.getProperty("SEQUENCE").orElseThrow().getValue()).isEqualTo("2");
        assertThat(event.getProperty("STATUS").orElseThrow().getValue()).isEqualTo("CANCELLED");
        assertThat(invitation(true, 2).contentType()).isEqualTo("text/calendar; charset=UTF-8; method=CANCEL");
    }

    @Test
    void shouldCarryTheDefinitionOfItsOwnZone() throws Exception {
        Invitation london = invitation(false, 0);
        Invitation newYork = new Invitation(APPOINTMENT, false, 0, START, START.plusSeconds(1800),
                ZoneId.of("America/New_York"), "Harbour Clinic", "2 Pier St, New York", "appointments@nhsv2.example",
                "pat@example.test", STAMP);

        for (Invitation invitation : new Invitation[]{london, newYork, london, newYork}) {
            Calendar calendar = parse(invitation);
            assertThat(calendar.validate().hasErrors()).as(calendar.validate().toString()).isFalse();
            assertThat(calendar.getComponents("VTIMEZONE")).hasSize(1);
            assertThat(calendar.getComponent("VTIMEZONE").orElseThrow().getProperty("TZID").orElseThrow().getValue())
                    .isEqualTo(invitation.zone().getId());
            assertThat(calendar.<VEvent>getComponent("VEVENT").orElseThrow().getProperty("DTSTART").orElseThrow()
                    .getParameter("TZID").orElseThrow().getValue()).isEqualTo(invitation.zone().getId());
        }
        assertThat(newYork.toIcs()).contains("DTSTART;TZID=America/New_York:20270601T043000");
    }

    /** Europe/London's rules since 1847 are 7 KB; an appointment in 2027 needs those from 2026 on. */
    @Test
    void shouldCarryOnlyTheZonesRulesFromTheYearBeforeTheAppointmentOn() throws Exception {
        String ics = invitation(false, 0).toIcs();
        VTimeZone london = parse(invitation(false, 0)).<VTimeZone>getComponent("VTIMEZONE").orElseThrow();

        assertThat(ics).doesNotContain("1847", "RDATE").hasSizeLessThan(1_500);
        assertThat(london.getObservances()).extracting(observance -> observance.getProperty("RRULE").orElseThrow()
                .getValue()).containsExactlyInAnyOrder("FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU");
        String whole = TimeZoneRegistryFactory.getInstance().createRegistry().getTimeZone("Europe/London").getVTimeZone()
                .toString();
        assertThat(whole).contains("1847").hasSizeGreaterThan(5_000);
    }

    /**
     * What the truncation may not change: the offset the definition gives at any instant from the year before the
     * appointment's on, next to each change of offset and at noon every day for three years, against the zone's whole
     * definition. The zones: summer time in either hemisphere, half-hour and negative summer time, none at all, and
     * summer time abolished (Sao Paulo in 2019: the rule in effect began before the cut and never begins again;
     * Mexico City in October 2022, inside the years an appointment in 2023 needs).
     */
    @Test
    void shouldGiveTheSameOffsetsAsTheZonesWholeDefinitionFromTheYearBeforeOn() throws Exception {
        for (String id : List.of("Europe/London", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe",
                "Europe/Dublin", "Asia/Tokyo", "Asia/Kolkata", "America/Sao_Paulo", "America/Mexico_City", "America/St_Johns")) {
            ZoneId zone = ZoneId.of(id);
            TimeZone whole = TimeZoneRegistryFactory.getInstance().createRegistry().getTimeZone(id);
            for (int year : new int[]{2023, 2026, 2027, 2031}) {
                String definition = Invitation.definition(new Invitation.ZoneYear(zone, year));
                TimeZone truncated = new TimeZone(new CalendarBuilder().build(new StringReader(
                        "BEGIN:VCALENDAR\r\nPRODID:-//test//EN\r\nVERSION:2.0\r\n" + definition + "END:VCALENDAR\r\n"))
                        .<VTimeZone>getComponent("VTIMEZONE").orElseThrow());
                Instant from = LocalDate.of(year - 1, 1, 1).atStartOfDay(zone).toInstant();
                Instant until = LocalDate.of(year + 2, 1, 1).atStartOfDay(zone).toInstant();

                assertThat(definition.length()).as("%s %d", id, year).isLessThan(whole.getVTimeZone().toString().length());
                for (Instant instant = from.plus(Duration.ofHours(12)); instant.isBefore(until); instant = instant.plus(Duration.ofDays(1))) {
                    assertSameOffset(truncated, whole, instant, id);
                }
                for (ZoneOffsetTransition change = zone.getRules().nextTransition(from);
                     change != null && change.getInstant().isBefore(until);
                     change = zone.getRules().nextTransition(change.getInstant())) {
                    assertSameOffset(truncated, whole, change.getInstant().minusSeconds(1), id);
                    assertSameOffset(truncated, whole, change.getInstant(), id);
                }
            }
        }
    }

    private static void assertSameOffset(TimeZone truncated, TimeZone whole, Instant instant, String zone) {
        assertThat(truncated.getOffset(instant.toEpochMilli())).as("%s at %s", zone, instant)
                .isEqualTo(whole.getOffset(instant.toEpochMilli()));
    }

    private static Invitation invitation(boolean cancelled, int sequence) {
        return new Invitation(APPOINTMENT, cancelled, sequence, START, START.plusSeconds(1800), ZoneId.of("Europe/London"),
                "Riverside Clinic", "1 River Road, London", "appointments@nhsv2.example", "pat@example.test", STAMP);
    }

    private static Calendar parse(Invitation invitation) throws Exception {
        return new CalendarBuilder().build(new StringReader(invitation.toIcs()));
    }
}
