package org.nhsv2.appointment;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.DemoUsers;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.nhsv2.platform.testing.DemoUsers.ADMIN;
import static org.nhsv2.platform.testing.DemoUsers.ALICE;
import static org.nhsv2.platform.testing.DemoUsers.RIVERSIDE;

class IdempotencyIT extends IntegrationTest {

    @Test
    void shouldReturnTheOriginalAppointmentForARetryWithTheSameKeyAndBody() {
        Api alice = as(ALICE);
        Map<String, Object> body = booking(RIVERSIDE, UUID.randomUUID(), freeSlot());
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());

        Api.Response first = alice.post("/api/appointments", body, key);
        Api.Response retry = alice.post("/api/appointments", body, key);

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.text("appointmentId")).isEqualTo(first.text("appointmentId"));
        assertThat(retry.header("Idempotent-Replayed")).contains("true");
        assertThat(eventsOf(first.text("appointmentId"))).isEqualTo(1);
    }

    @Test
    void shouldRefuseTheSameKeyWithAnotherBody() {
        Api alice = as(ALICE);
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
        assertThat(alice.post("/api/appointments", booking(RIVERSIDE, UUID.randomUUID(), freeSlot()), key).status())
                .isEqualTo(201);

        Api.Response reused = alice.post("/api/appointments", booking(RIVERSIDE, UUID.randomUUID(), freeSlot()), key);

        assertThat(reused.status()).isEqualTo(409);
        assertThat(reused.text("code")).isEqualTo("idempotency-key-reused");
    }

    @Test
    void shouldBookOnceWhenTheSameRequestIsRetriedInParallel() throws Exception {
        Api alice = as(ALICE);
        Map<String, Object> body = booking(RIVERSIDE, UUID.randomUUID(), freeSlot());
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
        List<Callable<Api.Response>> retries = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            retries.add(() -> alice.post("/api/appointments", body, key));
        }
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<String> ids = new ArrayList<>();
        try {
            for (Future<Api.Response> response : pool.invokeAll(retries)) {
                Api.Response r = response.get(60, TimeUnit.SECONDS);
                assertThat(r.status()).isIn(201, 202);
                ids.add(r.header("Location").orElseThrow());
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(ids).hasSize(10).containsOnly(ids.get(0));
        assertThat(eventsOf(ids.get(0).substring(ids.get(0).lastIndexOf('/') + 1))).isEqualTo(1);
    }

    @Test
    void shouldKeepOnlyAKeyedFingerprintAndForgetItWhenThePatientIsErased() throws Exception {
        Api alice = as(ALICE);
        UUID patient = UUID.randomUUID();
        Map<String, Object> body = booking(RIVERSIDE, patient, freeSlot());
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
        assertThat(alice.post("/api/appointments", body, key).status()).isEqualTo(201);
        String fingerprint = jdbc.queryForObject("select request_fingerprint from idempotency_key where patient_id = ?",
                String.class, patient);
        String unkeyed = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(new ObjectMapper().writeValueAsBytes(body)));
        assertThat(fingerprint).matches("[0-9a-f]{64}").isNotEqualTo(unkeyed);

        Api.Response erased = as(ADMIN).delete("/api/patients/" + patient + "/personal-data?basis=DATA_SUBJECT_REQUEST");

        assertThat(erased.body().path("idempotencyRecordsDeleted").asInt()).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from idempotency_key where patient_id = ?", Integer.class, patient))
                .isZero();
        // The key is forgotten: the retry is a new booking, and meets the original's claim on the slot.
        Api.Response retry = alice.post("/api/appointments", body, key);
        assertThat(retry.status()).isEqualTo(409);
        assertThat(retry.text("code")).isIn("doctor-unavailable", "patient-unavailable");
    }

    private int eventsOf(String appointmentId) {
        return jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier = ?",
                Integer.class, appointmentId);
    }
}
