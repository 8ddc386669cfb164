package org.nhsv2.appointment.calendar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nhsv2.appointment.saga.DoctorCalendar;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.lessThanOrExactly;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The real Google Calendar client against WireMock, with a service account of its own: the token
 * exchange, then insert, update on a repeated insert, and delete, each with the appointment's own
 * times in the facility's zone.
 */
class GoogleDoctorCalendarTest {

    private static final String CALENDAR = "alice@group.calendar.google.com";
    private static final String EVENTS = "/calendar/v3/calendars/" + CALENDAR + "/events";
    private static final UUID DOCTOR = UUID.fromString("5e2c7a10-0000-4000-8000-00000000a11c");
    private static final UUID OTHER_DOCTOR = UUID.fromString("5e2c7a10-0000-4000-8000-000000000b0b");
    private static final String OTHER_CALENDAR = "bob@group.calendar.google.com";
    private static final UUID NO_CALENDAR = UUID.fromString("5e2c7a10-0000-4000-8000-0000000000c0");
    private static final UUID APPOINTMENT = UUID.fromString("1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed");
    // 09:30 in London during summer time: the event must start at 08:30Z, whatever the time of the call.
    private static final Instant START = Instant.parse("2027-06-01T08:30:00Z");

    private final WireMockServer google = new WireMockServer(wireMockConfig().dynamicPort());
    private final ObjectMapper json = new ObjectMapper();
    private GoogleDoctorCalendar calendar;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        google.start();
        google.stubFor(post("/token").willReturn(okJson("{\"access_token\":\"test-access-token\",\"expires_in\":3600,\"token_type\":\"Bearer\"}")));
        Path key = dir.resolve("service-account.json");
        Files.writeString(key, ServiceAccounts.key(google.baseUrl() + "/token"));
        calendar = new GoogleDoctorCalendar(new GoogleCalendarSettings(key.toString(),
                DOCTOR + "=" + CALENDAR + ", " + OTHER_DOCTOR + "=" + OTHER_CALENDAR, null, google.baseUrl() + "/",
                Duration.ofSeconds(5)));
    }

    @AfterEach
    void stop() {
        google.stop();
    }

    @Test
    void shouldInsertTheAppointmentAtItsOwnTimesInTheFacilityZoneWithTheServiceAccountsToken() throws Exception {
        google.stubFor(post(urlPathEqualTo(EVENTS)).willReturn(okJson("{\"id\":\"x\"}")));

        calendar.put(entry(START));

        List<LoggedRequest> inserts = google.findAll(postRequestedFor(urlPathEqualTo(EVENTS)));
        assertThat(inserts).hasSize(1);
        assertThat(inserts.get(0).getHeader("Authorization")).isEqualTo("Bearer test-access-token");
        JsonNode event = json.readTree(inserts.get(0).getBodyAsString());
        assertThat(event.path("id").asText()).isEqualTo(GoogleDoctorCalendar.eventId(APPOINTMENT)).matches("[a-v0-9]{5,1024}");
        assertThat(Instant.parse(event.path("start").path("dateTime").asText())).isEqualTo(START);
        assertThat(Instant.parse(event.path("end").path("dateTime").asText())).isEqualTo(START.plus(Duration.ofMinutes(30)));
        assertThat(event.path("start").path("timeZone").asText()).isEqualTo("Europe/London");
        assertThat(event.path("location").asText()).isEqualTo("Riverside Clinic, 1 River Road");
        assertThat(event.toString()).doesNotContain("patient");
        google.verify(postRequestedFor(urlEqualTo("/token")));
    }

    @Test
    void shouldMoveTheEventWhenItIsAlreadyThere() throws Exception {
        google.stubFor(post(urlPathEqualTo(EVENTS)).willReturn(aResponse().withStatus(409)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":409,\"message\":\"The requested identifier already exists.\"}}")));
        String eventPath = EVENTS + "/" + GoogleDoctorCalendar.eventId(APPOINTMENT);
        google.stubFor(put(urlPathEqualTo(eventPath)).willReturn(okJson("{\"id\":\"x\"}")));
        Instant later = START.plus(Duration.ofDays(1));

        calendar.put(entry(later));

        List<LoggedRequest> updates = google.findAll(putRequestedFor(urlPathEqualTo(eventPath)));
        assertThat(updates).hasSize(1);
        JsonNode event = json.readTree(updates.get(0).getBodyAsString());
        assertThat(Instant.parse(event.path("start").path("dateTime").asText())).isEqualTo(later);
        assertThat(event.path("status").asText()).isEqualTo("confirmed");
    }

    /**
     * Each doctor's appointments in that doctor's own calendar: one calendar for all would show every doctor the others'
     * appointments. A doctor with no calendar named has the feed only, and Google is not asked.
     */
    @Test
    void shouldPutEachDoctorsAppointmentsInTheirOwnCalendarAndNoneForADoctorWithout() {
        String otherEvents = "/calendar/v3/calendars/" + OTHER_CALENDAR + "/events";
        google.stubFor(post(urlPathEqualTo(otherEvents)).willReturn(okJson("{\"id\":\"x\"}")));

        calendar.put(entry(OTHER_DOCTOR, START));
        calendar.put(entry(NO_CALENDAR, START));
        calendar.remove(NO_CALENDAR, APPOINTMENT);

        google.verify(1, postRequestedFor(urlPathEqualTo(otherEvents)));
        google.verify(0, postRequestedFor(urlPathEqualTo(EVENTS)));
        assertThat(google.findAll(anyRequestedFor(urlPathMatching("/calendar/.*")))).hasSize(1);
    }

    @Test
    void shouldRefuseToStartWithACalendarListThatIsNotDoctorCalendarPairs() {
        for (String malformed : List.of("primary", "not-a-uuid=primary", DOCTOR + "=", DOCTOR + "=a," + DOCTOR + "=b")) {
            assertThatThrownBy(() -> new GoogleCalendarSettings("key.json", malformed, null, null, null))
                    .as(malformed).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("calendar-ids");
        }
        assertThat(new GoogleCalendarSettings("key.json", null, null, null, null).calendars()).isEmpty();
        // Earlier versions' one calendar for all: still set, it stops the start rather than leave doctors unaware.
        assertThatThrownBy(() -> new GoogleCalendarSettings("key.json", DOCTOR + "=" + CALENDAR, "primary", null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GOOGLE_CALENDAR_ID");
    }

    @Test
    void shouldDeleteTheEventAndTreatAnEventAlreadyGoneAsDone() {
        String eventPath = EVENTS + "/" + GoogleDoctorCalendar.eventId(APPOINTMENT);
        google.stubFor(delete(urlPathEqualTo(eventPath)).willReturn(aResponse().withStatus(204)));
        calendar.remove(DOCTOR, APPOINTMENT);
        google.verify(deleteRequestedFor(urlPathEqualTo(eventPath)).withHeader("Authorization", equalTo("Bearer test-access-token")));

        google.stubFor(delete(urlPathEqualTo(eventPath)).willReturn(aResponse().withStatus(410)));
        calendar.remove(DOCTOR, APPOINTMENT);
    }

    @Test
    void shouldFailSoTheSagaRetriesWhenGoogleFails() {
        google.stubFor(post(urlPathEqualTo(EVENTS)).willReturn(aResponse().withStatus(503)));

        assertThatThrownBy(() -> calendar.put(entry(START))).isInstanceOf(RuntimeException.class);
    }

    /** A calendar Google does not know, a service account without access: the saga must go on without it. */
    @ParameterizedTest
    @CsvSource({"400, invalid", "401, authError", "403, forbidden", "403, quotaExceeded", "404, notFound"})
    void shouldLeaveTheEntryOutRatherThanFailWhenGoogleRefusesForGood(int status, String reason) {
        google.stubFor(post(urlPathEqualTo(EVENTS)).willReturn(refusal(status, reason)));
        google.stubFor(delete(urlPathMatching(EVENTS + "/.+")).willReturn(refusal(status, reason)));

        assertThatNoException().isThrownBy(() -> calendar.put(entry(START)));
        assertThatNoException().isThrownBy(() -> calendar.remove(DOCTOR, APPOINTMENT));
        // Asked once; a 401 again with a new token each time, up to the client's 10 retries
        google.verify(lessThanOrExactly(11), postRequestedFor(urlPathEqualTo(EVENTS)));
    }

    @Test
    void shouldLeaveTheMoveOutRatherThanFailWhenGoogleRefusesItForGood() {
        google.stubFor(post(urlPathEqualTo(EVENTS)).willReturn(refusal(409, "duplicate")));
        google.stubFor(put(urlPathMatching(EVENTS + "/.+")).willReturn(refusal(403, "forbidden")));

        assertThatNoException().isThrownBy(() -> calendar.put(entry(START)));
        google.verify(1, putRequestedFor(urlPathMatching(EVENTS + "/.+")));
    }

    /** Google's rate limits say "later": the saga's processor asks again. */
    @ParameterizedTest
    @CsvSource({"403, rateLimitExceeded", "403, userRateLimitExceeded", "429, rateLimitExceeded", "408, timeout",
            "500, backendError"})
    void shouldFailSoTheSagaRetriesWhenGoogleAsksToBeAskedLater(int status, String reason) {
        google.stubFor(post(urlPathEqualTo(EVENTS)).willReturn(refusal(status, reason)));
        google.stubFor(delete(urlPathMatching(EVENTS + "/.+")).willReturn(refusal(status, reason)));

        assertThatThrownBy(() -> calendar.put(entry(START))).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> calendar.remove(DOCTOR, APPOINTMENT)).isInstanceOf(RuntimeException.class);
    }

    private static ResponseDefinitionBuilder refusal(int status, String reason) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(
                "{\"error\":{\"code\":" + status + ",\"message\":\"" + reason + "\",\"errors\":[{\"domain\":\"global\","
                        + "\"reason\":\"" + reason + "\",\"message\":\"" + reason + "\"}]}}");
    }

    private static DoctorCalendar.Entry entry(Instant start) {
        return entry(DOCTOR, start);
    }

    private static DoctorCalendar.Entry entry(UUID doctor, Instant start) {
        return new DoctorCalendar.Entry(APPOINTMENT, doctor, start, start.plus(Duration.ofMinutes(30)),
                ZoneId.of("Europe/London"), "Riverside Clinic", "1 River Road");
    }
}
