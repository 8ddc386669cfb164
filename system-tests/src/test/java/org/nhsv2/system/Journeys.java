package org.nhsv2.system;

import com.fasterxml.jackson.databind.JsonNode;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.DemoUsers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What users do in the system tests, through the services' REST APIs as the demo users. */
final class Journeys {

    /** Far ahead, on a random day, so a rerun against the same databases meets no earlier booking. */
    private static final Instant FIRST_SLOT = Instant.now().plus(Duration.ofDays(30 + ThreadLocalRandom.current().nextInt(300)))
            .truncatedTo(ChronoUnit.HOURS);
    private static final AtomicInteger SLOTS = new AtomicInteger();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Journeys() {
    }

    record Patient(UUID id, String name, String email) {
        static Patient fresh(String marker) {
            UUID id = UUID.randomUUID();
            return new Patient(id, "Name " + marker, marker + "@example.test");
        }

        static Patient fresh() {
            return fresh("p" + UUID.randomUUID().toString().replace("-", "").substring(0, 16));
        }
    }

    /** Books the patient with alice.doctor at Riverside in a slot no other test uses; the appointment id. */
    static UUID book(ServiceProcess appointments, Patient patient, String reason) {
        return book(appointments, patient, reason, nextSlot());
    }

    /** A slot of alice.doctor's that no other booking of this test run uses. */
    static Instant nextSlot() {
        return FIRST_SLOT.plus(Duration.ofHours(SLOTS.getAndIncrement()));
    }

    static UUID book(ServiceProcess appointments, Patient patient, String reason, Instant start) {
        Map<String, Object> body = booking(patient, start, reason);
        Api.Response booked = Api.as(appointments.port, DemoUsers.ALICE).post("/api/appointments", body);
        assertThat(booked.status()).as("booking: %s", booked.body()).isIn(201, 202);
        return bookedId(booked);
    }

    /**
     * alice.doctor asks to book the patient for 30 minutes with {@code doctorId} at Riverside, with an
     * {@code Idempotency-Key}; the answer as it came, whatever it is.
     */
    static Api.Response tryBooking(ServiceProcess appointments, Patient patient, UUID doctorId, Instant start,
                                   String idempotencyKey) {
        Map<String, Object> body = booking(patient, start, "Check-up");
        body.put("doctorId", doctorId);
        return Api.as(appointments.port, DemoUsers.ALICE).post("/api/appointments", body,
                Map.of("Idempotency-Key", idempotencyKey));
    }

    /** The id of the appointment a 201 or 202 answer's {@code Location} names. */
    static UUID bookedId(Api.Response booked) {
        String location = booked.header("Location").orElseThrow();
        return UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
    }

    /** alice.doctor moves the appointment to {@code start}; the answer as it came. */
    static Api.Response tryRescheduling(ServiceProcess appointments, UUID id, Instant start) {
        return Api.as(appointments.port, DemoUsers.ALICE).post("/api/appointments/" + id + "/reschedule",
                Map.of("start", start.toString(), "reason", "The doctor is needed elsewhere"));
    }

    /** alice.doctor cancels the appointment; the answer as it came. */
    static Api.Response tryCancelling(ServiceProcess appointments, UUID id) {
        return Api.as(appointments.port, DemoUsers.ALICE).post("/api/appointments/" + id + "/cancel",
                Map.of("reason", "The patient is better"));
    }

    private static Map<String, Object> booking(Patient patient, Instant start, String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("facilityId", DemoUsers.RIVERSIDE);
        body.put("patientId", patient.id());
        body.put("patientName", patient.name());
        body.put("patientEmail", patient.email());
        body.put("start", start.toString());
        body.put("durationMinutes", 30);
        body.put("reason", reason);
        return body;
    }

    static JsonNode appointment(ServiceProcess appointments, UUID id) {
        return Api.as(appointments.port, DemoUsers.ALICE).get("/api/appointments/" + id).body();
    }

    static List<String> historyTypes(ServiceProcess appointments, UUID id) {
        return Api.as(appointments.port, DemoUsers.ALICE).get("/api/appointments/" + id + "/history").body()
                .path("entries").findValuesAsText("type");
    }

    /** The facility's day that {@code start} falls on, as alice.doctor lists it (and the service caches it). */
    static JsonNode facilityDay(ServiceProcess appointments, String start) {
        return Api.as(appointments.port, DemoUsers.ALICE)
                .get("/api/facilities/" + DemoUsers.RIVERSIDE + "/appointments?from=" + start.substring(0, 10)).body();
    }

    /** alice.doctor charges the patient a consultation; the patient pays on the sandbox page. The transaction id. */
    static UUID payFor(ServiceProcess payments, Patient patient) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("facilityId", DemoUsers.RIVERSIDE);
        body.put("patientId", patient.id());
        body.put("patientName", patient.name());
        body.put("patientEmail", patient.email());
        body.put("items", List.of(Map.of("productId", "a1000000-0000-4000-8000-000000000001", "quantity", 1)));
        Api.Response checkout = Api.as(payments.port, DemoUsers.ALICE).post("/api/checkouts", body);
        assertThat(checkout.status()).as("checkout: %s", checkout.body()).isIn(201, 202);
        UUID transaction = UUID.fromString(checkout.text("transactionId"));
        try {
            HttpResponse<Void> paid = HTTP.send(HttpRequest.newBuilder(URI.create(checkout.text("checkoutUrl") + "/pay"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(paid.statusCode()).isEqualTo(303);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> transaction(payments, transaction).path("status").asText().equals("PAID"));
        return transaction;
    }

    static JsonNode transaction(ServiceProcess payments, UUID id) {
        return Api.as(payments.port, DemoUsers.ALICE).get("/api/transactions/" + id).body();
    }

    static void erase(ServiceProcess appointments, Patient patient) {
        Api.Response erased = Api.as(appointments.port, DemoUsers.ADMIN).delete("/api/patients/" + patient.id() + "/personal-data?basis=DATA_SUBJECT_REQUEST");
        assertThat(erased.status()).as("erasure: %s", erased.body()).isEqualTo(200);
    }

    /** The emails notification-service kept for the address, newest first. */
    static List<JsonNode> mailbox(ServiceProcess notifications, String recipient) {
        Api.Response page = Api.as(notifications.port, DemoUsers.ADMIN)
                .get("/api/mailbox?limit=100&recipient=" + URLEncoder.encode(recipient, StandardCharsets.UTF_8));
        assertThat(page.status()).as("mailbox: %s", page.body()).isEqualTo(200);
        List<JsonNode> emails = new ArrayList<>();
        page.body().path("emails").forEach(emails::add);
        return emails;
    }
}
