package org.nhsv2.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.DemoUsers;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An appointment's life as its users see it, through the gateway only: a doctor books, the patient
 * sees it and is emailed a confirmation with a calendar invitation; the doctor moves it and the
 * patient is told; the patient cancels and the invitation is withdrawn; a doctor of another
 * facility is refused throughout.
 */
class AppointmentJourneyIT {

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String patientEmail = "pat.one+e2e-" + run + "@example.test";
    private final Api alice = Platform.as(DemoUsers.ALICE);
    private final Api bob = Platform.as(DemoUsers.BOB);
    private final Api patient = Platform.as(DemoUsers.PAT_ONE);
    private final Mailbox mailbox = new Mailbox(patientEmail);

    @Test
    void aBookingMovedAndCancelledReachesThePatientEachTime() {
        // alice.doctor books pat.one at Riverside
        Booked booked = bookFreeSlot();
        UUID id = booked.id();
        System.out.printf("e2e: booked %s at %s for %s%n", id, booked.start(), patientEmail);

        // pat.one sees it among their appointments
        assertThat(ownAppointment(id)).as("pat.one's list").isPresent()
                .get().satisfies(view -> assertThat(view.path("status").asText()).isEqualTo("BOOKED"));

        // ... and is emailed a confirmation carrying a calendar invitation
        Mailbox.Email confirmation = mailbox.awaitEmail("is confirmed");
        assertThat(confirmation.invitationProperty("METHOD")).isEqualTo("REQUEST");
        String uid = confirmation.invitationProperty("UID");
        int firstSequence = Integer.parseInt(confirmation.invitationProperty("SEQUENCE"));

        // bob.doctor, of Northgate, may neither read nor move it
        assertThat(bob.get("/api/appointments/" + id).status()).as("bob reads").isEqualTo(403);
        Api.Response bobMoves = bob.post("/api/appointments/" + id + "/reschedule",
                Map.of("start", booked.start().plus(Duration.ofHours(2)).toString(), "reason", "Not my patient"));
        assertThat(bobMoves.status()).as("bob reschedules: %s", bobMoves.body()).isEqualTo(403);
        assertThat(bobMoves.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("problem+json"));

        // alice.doctor moves it an hour later; pat.one sees the new time and gets the change
        Instant moved = booked.start().plus(Duration.ofHours(1));
        Api.Response rescheduled = alice.post("/api/appointments/" + id + "/reschedule",
                Map.of("start", moved.toString(), "reason", "The clinic runs late that morning"));
        assertThat(rescheduled.status()).as("reschedule: %s", rescheduled.body()).isEqualTo(200);
        await("pat.one sees the new time").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> ownAppointment(id).map(view -> Instant.parse(view.path("start").asText()).equals(moved))
                        .orElse(false));
        Mailbox.Email change = mailbox.awaitEmail("has moved to");
        assertThat(change.invitationProperty("METHOD")).isEqualTo("REQUEST");
        assertThat(change.invitationProperty("UID")).as("the same calendar entry").isEqualTo(uid);
        assertThat(Integer.parseInt(change.invitationProperty("SEQUENCE"))).isGreaterThan(firstSequence);

        // pat.one cancels; the invitation is withdrawn
        Api.Response cancelled = patient.post("/api/appointments/" + id + "/cancel", Map.of("reason", "Cannot make it"));
        assertThat(cancelled.status()).as("cancel: %s", cancelled.body()).isIn(200, 204);
        await("the appointment reads cancelled").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> alice.get("/api/appointments/" + id).text("status").equals("CANCELLED"));
        Mailbox.Email cancellation = mailbox.awaitEmail("has been cancelled");
        assertThat(cancellation.invitationProperty("METHOD")).isEqualTo("CANCEL");
        assertThat(cancellation.invitationProperty("UID")).isEqualTo(uid);

        // every step is in the history, with who did it
        JsonNode history = alice.get("/api/appointments/" + id + "/history").body();
        assertThat(history.toString()).contains("AppointmentBooked", "AppointmentRescheduled", "AppointmentCancelled");
        System.out.printf("e2e: appointment %s booked, moved, cancelled; 3 emails with invitation %s%n", id, uid);
    }

    private record Booked(UUID id, Instant start) {
    }

    /** A random slot months ahead, so reruns against the same databases meet no earlier booking. */
    private Booked bookFreeSlot() {
        for (int attempt = 0; attempt < 10; attempt++) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            Instant start = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(30 + random.nextInt(1500)))
                    .plus(Duration.ofHours(8 + random.nextInt(8))).plus(Duration.ofMinutes(15L * random.nextInt(4)));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("facilityId", DemoUsers.RIVERSIDE);
            body.put("patientId", DemoUsers.PAT_ONE_ID);
            body.put("patientName", "Pat One");
            body.put("patientEmail", patientEmail);
            body.put("start", start.toString());
            body.put("durationMinutes", 30);
            body.put("reason", "Check-up");
            Api.Response response = alice.post("/api/appointments", body, Map.of("Idempotency-Key", UUID.randomUUID().toString()));
            if (response.status() == 201) {
                return new Booked(UUID.fromString(response.text("appointmentId")), start);
            }
            assertThat(response.status()).as("booking: %s", response.body()).isEqualTo(409);
        }
        throw new AssertionError("ten random slots in a row were taken");
    }

    /** The appointment as pat.one's own list shows it, searched page by page (earlier runs may have left many). */
    private Optional<JsonNode> ownAppointment(UUID id) {
        for (int page = 0; ; page++) {
            Api.Response response = patient.get("/api/patients/me/appointments?size=200&page=" + page);
            assertThat(response.status()).as("pat.one's appointments: %s", response.body()).isEqualTo(200);
            JsonNode items = response.body().path("items");
            Optional<JsonNode> found = StreamSupport.stream(items.spliterator(), false)
                    .filter(view -> view.path("appointmentId").asText().equals(id.toString())).findFirst();
            if (found.isPresent() || items.size() < 200) {
                return found;
            }
        }
    }
}
