package org.nhsv2.appointment.calendar;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nhsv2.appointment.IntegrationTest;
import org.nhsv2.appointment.saga.AppointmentConfirmationSaga;
import org.nhsv2.platform.testing.DemoUsers;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.nhsv2.platform.testing.DemoUsers.ALICE;
import static org.nhsv2.platform.testing.DemoUsers.RIVERSIDE;

/**
 * The whole service with Google Calendar configured, its Google client against WireMock playing Google:
 * while Google fails or does not answer in time, the confirmation saga's handler fails and its processor
 * tries again; once Google answers, the doctor's calendar holds the appointment once, and loses it once. A
 * refusal that asking again would not change leaves the calendar out and the saga going on.
 */
@DirtiesContext // closed after its tests: its processors would go on beside the main context's (one node id)
class GoogleCalendarOutageIT extends IntegrationTest {

    private static final WireMockServer GOOGLE = new WireMockServer(wireMockConfig().dynamicPort());
    private static final String EVENTS = "/calendar/v3/calendars/primary/events";
    private static final int SLOWER_THAN_THE_CLIENT = 8000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    private EventProcessingConfiguration processing;

    static {
        GOOGLE.start();
    }

    @DynamicPropertySource
    static void google(DynamicPropertyRegistry registry) {
        registry.add("nhsv2.calendar.google.credentials-file", () -> serviceAccountFile().toString());
        // alice.doctor's own calendar ("primary" of the service account here), the one her bookings below go to.
        registry.add("nhsv2.calendar.google.calendar-ids", () -> DemoUsers.ALICE_ID + "=primary");
        registry.add("nhsv2.calendar.google.api-base", () -> GOOGLE.baseUrl() + "/");
        registry.add("nhsv2.calendar.google.timeout", () -> "3s");
    }

    @AfterAll
    static void stopGoogle() {
        GOOGLE.stop();
    }

    /** Google answering everything, as it does when it is up. */
    @BeforeEach
    void googleUp() {
        GOOGLE.resetAll();
        GOOGLE.stubFor(post("/token").willReturn(okJson(
                "{\"access_token\":\"test-access-token\",\"expires_in\":3600,\"token_type\":\"Bearer\"}")));
        GOOGLE.stubFor(post(urlPathEqualTo(EVENTS)).atPriority(10).willReturn(okJson("{\"status\":\"confirmed\"}")));
        GOOGLE.stubFor(put(urlPathMatching(EVENTS + "/.+")).atPriority(10).willReturn(okJson("{}")));
        GOOGLE.stubFor(delete(urlPathMatching(EVENTS + "/.+")).atPriority(10).willReturn(aResponse().withStatus(204)));
    }

    @Test
    void shouldPutTheAppointmentInOnceThroughAnOutageAnAnswerTooLateAndTheRetriedInsert() throws Exception {
        GOOGLE.stubFor(post(urlPathEqualTo(EVENTS)).atPriority(5).willReturn(aResponse().withStatus(503)));
        Instant start = freeSlot();
        UUID appointment = UUID.fromString(as(ALICE).post("/api/appointments",
                booking(RIVERSIDE, UUID.randomUUID(), start)).text("appointmentId"));
        String eventId = GoogleDoctorCalendar.eventId(appointment);
        await().atMost(Duration.ofSeconds(60)).until(() -> served(RequestMethod.POST, eventId).size() >= 2);

        // Google is back but slow: it makes the event and answers after the client gave up; the next insert
        // meets the event (409) and the client puts the appointment's times on it instead.
        String scenario = "back " + eventId;
        GOOGLE.stubFor(put(urlPathEqualTo(EVENTS + "/" + eventId)).willReturn(okJson("{\"status\":\"confirmed\"}")));
        GOOGLE.stubFor(insertOf(eventId).inScenario(scenario).whenScenarioStateIs("made").willReturn(aResponse()
                .withStatus(409).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":409,\"message\":\"The requested identifier already exists.\"}}")));
        GOOGLE.stubFor(insertOf(eventId).inScenario(scenario).whenScenarioStateIs(STARTED)
                .willReturn(okJson("{\"status\":\"confirmed\"}").withFixedDelay(SLOWER_THAN_THE_CLIENT)).willSetStateTo("made"));
        await().atMost(Duration.ofSeconds(90)).until(() -> !served(RequestMethod.PUT, eventId).isEmpty());
        awaitTheSagaHealthy();

        List<ServeEvent> inserts = served(RequestMethod.POST, eventId);
        long unavailable = answered(inserts, 503);
        long made = answered(inserts, 200);
        long conflicts = answered(inserts, 409);
        List<ServeEvent> updates = served(RequestMethod.PUT, eventId);
        assertThat(unavailable).isGreaterThanOrEqualTo(2);
        assertThat(made).as("the event made once").isEqualTo(1);
        assertThat(conflicts).isEqualTo(1);
        assertThat(inserts).hasSize((int) (unavailable + made + conflicts));
        assertThat(updates).hasSize(1);
        assertThat(answered(updates, 200)).isEqualTo(1);
        assertThat(Instant.parse(JSON.readTree(updates.get(0).getRequest().getBodyAsString()).at("/start/dateTime").asText()))
                .isEqualTo(start);
        System.out.printf("google outage, insert: %d inserts answered 503, 1 answered after the client's %s timeout (made),"
                        + " %d met the made event (409), %d update; events made: %d%n", unavailable, "3 s", conflicts,
                updates.size(), made);
    }

    @Test
    void shouldTakeTheAppointmentOutOnceThroughAnErrorAndAResetConnection() {
        Instant start = freeSlot();
        UUID appointment = UUID.fromString(as(ALICE).post("/api/appointments",
                booking(RIVERSIDE, UUID.randomUUID(), start)).text("appointmentId"));
        String eventId = GoogleDoctorCalendar.eventId(appointment);
        await().atMost(Duration.ofSeconds(60)).until(() -> answered(served(RequestMethod.POST, eventId), 200) == 1);
        String scenario = "removal " + eventId;
        GOOGLE.stubFor(delete(urlPathEqualTo(EVENTS + "/" + eventId)).inScenario(scenario).whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(500)).willSetStateTo("error"));
        GOOGLE.stubFor(delete(urlPathEqualTo(EVENTS + "/" + eventId)).inScenario(scenario).whenScenarioStateIs("error")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("reset"));
        GOOGLE.stubFor(delete(urlPathEqualTo(EVENTS + "/" + eventId)).inScenario(scenario).whenScenarioStateIs("reset")
                .willReturn(aResponse().withStatus(204)).willSetStateTo("gone"));
        GOOGLE.stubFor(delete(urlPathEqualTo(EVENTS + "/" + eventId)).inScenario(scenario).whenScenarioStateIs("gone")
                .willReturn(aResponse().withStatus(410)));

        assertThat(as(ALICE).post("/api/appointments/" + appointment + "/cancel", Map.of("reason", "Patient asked"))
                .status()).isIn(200, 202);
        await().atMost(Duration.ofSeconds(60)).until(() -> answered(served(RequestMethod.DELETE, eventId), 204) == 1);
        awaitTheSagaHealthy();

        List<ServeEvent> removals = served(RequestMethod.DELETE, eventId);
        assertThat(removals).hasSize(3);
        assertThat(answered(removals, 204)).isEqualTo(1);
        assertThat(answered(served(RequestMethod.POST, eventId), 200)).isEqualTo(1);
        System.out.printf("google outage, removal: 2 faults injected (500, connection reset), %d deletes sent, %d removed%n",
                removals.size(), answered(removals, 204));
    }

    /**
     * A refusal for good (the service account lost its access): the saga goes on without the doctor's calendar,
     * where it had retried the booking's event for good, and every email and reminder after it in its segment
     * waited.
     */
    @Test
    void shouldGoOnWithoutTheDoctorsCalendarWhenGoogleRefusesForGood() {
        GOOGLE.stubFor(post(urlPathEqualTo(EVENTS)).atPriority(5).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":{\"code\":403,\"message\":"
                        + "\"Forbidden\",\"errors\":[{\"domain\":\"global\",\"reason\":\"forbidden\"}]}}")));
        UUID appointment = UUID.fromString(as(ALICE).post("/api/appointments",
                booking(RIVERSIDE, UUID.randomUUID(), freeSlot())).text("appointmentId"));
        String eventId = GoogleDoctorCalendar.eventId(appointment);
        await().atMost(Duration.ofSeconds(60)).until(() -> !served(RequestMethod.POST, eventId).isEmpty());

        awaitTheSagaHealthy();

        assertThat(served(RequestMethod.POST, eventId)).as("asked once, not again and again").hasSize(1);
        assertThat(jdbc.queryForObject("select count(*) from saga_entry where saga_id in (select saga_id from"
                + " association_value_entry where association_key = 'appointmentId' and association_value = ?)",
                Integer.class, appointment.toString())).as("the saga goes on").isEqualTo(1);
    }

    private static MappingBuilder insertOf(String eventId) {
        return post(urlPathEqualTo(EVENTS)).atPriority(1).withRequestBody(matchingJsonPath("$.id", equalTo(eventId)));
    }

    /** What Google was asked about this event, oldest first. */
    private static List<ServeEvent> served(RequestMethod method, String eventId) {
        return GOOGLE.getAllServeEvents().stream()
                .filter(event -> event.getRequest().getMethod().equals(method))
                .filter(event -> method == RequestMethod.POST ? event.getRequest().getBodyAsString().contains(eventId)
                        : event.getRequest().getUrl().contains(eventId))
                .sorted(java.util.Comparator.comparing(event -> event.getRequest().getLoggedDate()))
                .toList();
    }

    private static long answered(List<ServeEvent> events, int status) {
        return events.stream().filter(event -> event.getResponse().getStatus() == status).count();
    }

    private void awaitTheSagaHealthy() {
        TrackingEventProcessor saga = processing.eventProcessor(AppointmentConfirmationSaga.PROCESSING_GROUP,
                TrackingEventProcessor.class).orElseThrow();
        await().atMost(Duration.ofSeconds(60)).until(() -> !saga.processingStatus().isEmpty()
                && saga.processingStatus().values().stream().noneMatch(EventTrackerStatus::isErrorState)
                && saga.processingStatus().values().stream().allMatch(EventTrackerStatus::isCaughtUp));
    }

    private static Path serviceAccountFile() {
        try {
            Path file = Files.createTempFile("google-service-account", ".json");
            file.toFile().deleteOnExit();
            Files.writeString(file, ServiceAccounts.key(GOOGLE.baseUrl() + "/token"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
