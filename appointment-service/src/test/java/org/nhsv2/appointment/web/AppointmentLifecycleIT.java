package org.nhsv2.appointment.web;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.nhsv2.appointment.IntegrationTest;
import org.nhsv2.platform.testing.Api;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.nhsv2.platform.testing.DemoUsers.ADMIN;
import static org.nhsv2.platform.testing.DemoUsers.ALICE;
import static org.nhsv2.platform.testing.DemoUsers.ALICE_ID;
import static org.nhsv2.platform.testing.DemoUsers.BOB;
import static org.nhsv2.platform.testing.DemoUsers.CAROL_ID;
import static org.nhsv2.platform.testing.DemoUsers.PAT_ONE;
import static org.nhsv2.platform.testing.DemoUsers.PAT_ONE_ID;
import static org.nhsv2.platform.testing.DemoUsers.PAT_TWO;
import static org.nhsv2.platform.testing.DemoUsers.RIVERSIDE;

/** The whole life of appointments over HTTP, with tokens issued by the real Keycloak realm. */
class AppointmentLifecycleIT extends IntegrationTest {

    @Test
    void shouldBookRescheduleAndLetThePatientCancelWithEveryChangeInTheHistory() {
        Api alice = as(ALICE);
        Instant start = freeSlot();

        Api.Response booked = alice.post("/api/appointments", booking(RIVERSIDE, PAT_ONE_ID, start));
        assertThat(booked.status()).isEqualTo(201);
        String id = booked.text("appointmentId");
        assertThat(booked.header("Location")).contains("/api/appointments/" + id);
        assertThat(booked.text("doctorId")).isEqualTo(ALICE_ID.toString());
        assertThat(booked.text("status")).isEqualTo("BOOKED");
        assertThat(booked.body().path("durationMinutes").asInt()).isEqualTo(30);

        Api.Response moved = alice.post("/api/appointments/" + id + "/reschedule",
                Map.of("start", start.plus(Duration.ofHours(1)).toString(), "durationMinutes", 45,
                        "reason", "Doctor in theatre"));
        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.text("start")).isEqualTo(start.plus(Duration.ofHours(1)).toString());
        assertThat(moved.body().path("durationMinutes").asInt()).isEqualTo(45);

        Api patient = as(PAT_ONE);
        assertThat(ids(patient.get("/api/patients/me/appointments"))).contains(id);
        assertThat(patient.get("/api/appointments/" + id).status()).isEqualTo(200);
        assertThat(as(PAT_TWO).get("/api/appointments/" + id).status()).isEqualTo(404);
        assertThat(as(BOB).get("/api/appointments/" + id).status()).isEqualTo(403);
        assertThat(as(ADMIN).get("/api/appointments/" + id).status()).isEqualTo(200);

        Api.Response cancelled = patient.post("/api/appointments/" + id + "/cancel", Map.of("reason", "Feeling better"));
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.text("status")).isEqualTo("CANCELLED");
        assertThat(cancelled.text("cancellationReason")).isEqualTo("Feeling better");

        Api.Response again = alice.post("/api/appointments/" + id + "/cancel", Map.of("reason", "twice"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.text("code")).isEqualTo("appointment-not-booked");
        assertThat(again.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));

        JsonNode history = alice.get("/api/appointments/" + id + "/history").body();
        List<String> types = new ArrayList<>();
        history.path("entries").forEach(entry -> types.add(entry.path("type").asText()));
        assertThat(types).containsExactly("AppointmentBooked", "AppointmentRescheduled", "AppointmentCancelled");
        JsonNode entries = history.path("entries");
        assertThat(entries.get(0).path("actorId").asText()).isEqualTo(ALICE_ID.toString());
        assertThat(entries.get(0).path("actorRole").asText()).isEqualTo("DOCTOR");
        assertThat(entries.get(1).path("changes").toString()).contains("Doctor in theatre").contains("\"durationMinutes\"");
        assertThat(entries.get(2).path("actorId").asText()).isEqualTo(PAT_ONE_ID.toString());
        assertThat(entries.get(2).path("actorRole").asText()).isEqualTo("PATIENT");
        assertThat(entries.get(2).path("changes").toString()).contains("Feeling better");
        entries.forEach(entry -> assertThat(entry.path("correlationId").asText()).isNotBlank());
    }

    @Test
    void shouldMarkFulfilledAndNoShowOnlyOnceTheAppointmentHasStarted() {
        Api alice = as(ALICE);
        // Soon, so the clock can be moved past the start without disturbing other tests' slots.
        Instant soon = clock.instant().plus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MINUTES);
        String attended = alice.post("/api/appointments", booking(RIVERSIDE, UUID.randomUUID(), soon)).text("appointmentId");
        String missed = alice.post("/api/appointments",
                with(booking(RIVERSIDE, UUID.randomUUID(), soon), "doctorId", CAROL_ID)).text("appointmentId");

        Api.Response early = alice.post("/api/appointments/" + attended + "/fulfil", null);
        assertThat(early.status()).isEqualTo(409);
        assertThat(early.text("code")).isEqualTo("appointment-not-started");

        clock.advance(Duration.ofMinutes(15));

        Api.Response fulfilled = alice.post("/api/appointments/" + attended + "/fulfil", null);
        assertThat(fulfilled.status()).isEqualTo(200);
        assertThat(fulfilled.text("status")).isEqualTo("FULFILLED");
        Api.Response noShow = alice.post("/api/appointments/" + missed + "/no-show", null);
        assertThat(noShow.status()).isEqualTo(200);
        assertThat(noShow.text("status")).isEqualTo("NO_SHOW");

        assertThat(alice.post("/api/appointments/" + attended + "/no-show", null).text("code"))
                .isEqualTo("appointment-not-booked");
        assertThat(alice.post("/api/appointments/" + missed + "/reschedule",
                Map.of("durationMinutes", 60, "reason", "late")).status()).isEqualTo(409);
    }

    @Test
    void shouldListAFacilityDayFilteredByDoctorAndStatus() {
        Api alice = as(ALICE);
        Instant start = freeSlot();
        String mine = alice.post("/api/appointments", booking(RIVERSIDE, UUID.randomUUID(), start)).text("appointmentId");
        String carols = alice.post("/api/appointments",
                with(booking(RIVERSIDE, UUID.randomUUID(), start), "doctorId", CAROL_ID)).text("appointmentId");
        String day = start.toString().substring(0, 10);
        String path = "/api/facilities/" + RIVERSIDE + "/appointments?from=" + day;

        assertThat(ids(alice.get(path))).contains(mine, carols);
        assertThat(ids(alice.get(path + "&doctorId=" + CAROL_ID))).contains(carols).doesNotContain(mine);
        assertThat(ids(alice.get(path + "&status=CANCELLED"))).doesNotContain(mine, carols);
        assertThat(as(BOB).get(path).status()).isEqualTo(403);
    }

    private static List<String> ids(Api.Response page) {
        assertThat(page.status()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        page.body().path("items").forEach(item -> ids.add(item.path("appointmentId").asText()));
        return ids;
    }

    private static Map<String, Object> with(Map<String, Object> body, String field, Object value) {
        body.put(field, value);
        return body;
    }
}
