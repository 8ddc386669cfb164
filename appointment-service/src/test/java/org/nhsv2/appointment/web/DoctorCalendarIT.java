package org.nhsv2.appointment.web;

import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.Test;
import org.nhsv2.appointment.IntegrationTest;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.ClientAccepts;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.nhsv2.platform.testing.DemoUsers.ADMIN;
import static org.nhsv2.platform.testing.DemoUsers.ALICE;
import static org.nhsv2.platform.testing.DemoUsers.ALICE_ID;
import static org.nhsv2.platform.testing.DemoUsers.BOB;
import static org.nhsv2.platform.testing.DemoUsers.PAT_ONE;
import static org.nhsv2.platform.testing.DemoUsers.RIVERSIDE;

/** The doctor's calendar when no Google Calendar is configured: an iCalendar feed ical4j accepts. */
class DoctorCalendarIT extends IntegrationTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void shouldListTheDoctorsAppointmentsAtTheirRealTimesAndMarkACancellation() throws Exception {
        Instant start = freeSlot();
        String booked = as(ALICE).post("/api/appointments", booking(RIVERSIDE, UUID.randomUUID(), start)).text("appointmentId");
        String cancelled = as(ALICE).post("/api/appointments", booking(RIVERSIDE, UUID.randomUUID(), start.plusSeconds(3600)))
                .text("appointmentId");
        as(ALICE).post("/api/appointments/" + cancelled + "/cancel", Map.of("reason", "Patient asked"));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> feed = get(ALICE);
            assertThat(feed.statusCode()).isEqualTo(200);
            assertThat(feed.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/calendar"));
            Calendar calendar = new CalendarBuilder().build(new StringReader(feed.body()));
            assertThat(calendar.validate().hasErrors()).as(calendar.validate().toString()).isFalse();
            VEvent event = event(calendar, booked);
            assertThat(event.getProperty("DTSTART").orElseThrow().getValue())
                    .isEqualTo(start.toString().replace("-", "").replace(":", "").replace(".000", ""));
            assertThat(event.getProperty("STATUS").orElseThrow().getValue()).isEqualTo("CONFIRMED");
            assertThat(event(calendar, cancelled).getProperty("STATUS").orElseThrow().getValue()).isEqualTo("CANCELLED");
            assertThat(feed.body()).doesNotContain("Patient ").doesNotContain("Routine check-up");
        });
    }

    @Test
    void shouldOpenTheFeedToThatDoctorAndAdminsOnly() throws Exception {
        assertThat(get(ADMIN).statusCode()).isEqualTo(200);
        HttpResponse<String> other = get(BOB);
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.body()).contains("calendar-forbidden");
        assertThat(get(PAT_ONE).statusCode()).isEqualTo(403);
        assertThat(HTTP.send(request().build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    }

    @Test
    void shouldAnswerAProblemForAnIdThatIsNotAUuid() throws Exception {
        HttpResponse<String> bad = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/api/doctors/not-a-doctor/calendar.ics")).header("Authorization", "Bearer " + Api.tokenOf(ALICE)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("application/problem+json"));
    }

    /** Calendar applications subscribe with Accept headers of their own, and a browser may open the link. */
    @Test
    void shouldServeTheFeedWhateverACalendarApplicationOrABrowserAccepts() throws Exception {
        List<String> accepts = new ArrayList<>(ClientAccepts.CALENDARS);
        accepts.addAll(ClientAccepts.BROWSERS);
        for (String accept : accepts) {
            HttpResponse<String> feed = get(ALICE, accept);

            assertThat(feed.statusCode()).as(accept).isEqualTo(200);
            assertThat(feed.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                    .startsWith("text/calendar"));
            assertThat(feed.body()).startsWith("BEGIN:VCALENDAR");
        }
    }

    @Test
    void shouldAnswer406ProblemWhenTheAcceptHeaderAdmitsNoCalendar() throws Exception {
        for (String accept : List.of("application/json", "text/html", "application/json; charset=ISO-8859-1")) {
            HttpResponse<String> refused = get(ALICE, accept);

            assertThat(refused.statusCode()).as(accept).isEqualTo(406);
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                    .startsWith("application/problem+json"));
        }
    }

    private HttpResponse<String> get(String user, String accept) throws Exception {
        HttpRequest.Builder request = request().header("Authorization", "Bearer " + Api.tokenOf(user));
        if (!accept.isEmpty()) {
            request.header("Accept", accept);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String user) throws Exception {
        return get(user, "");
    }

    private HttpRequest.Builder request() {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/doctors/" + ALICE_ID + "/calendar.ics"));
    }

    private static VEvent event(Calendar calendar, String appointmentId) {
        return calendar.<VEvent>getComponents("VEVENT").stream()
                .filter(event -> event.getProperty("UID").orElseThrow().getValue().equals(appointmentId + "@nhsv2"))
                .findFirst().orElseThrow(() -> new AssertionError(appointmentId + " is not in the feed"));
    }
}
