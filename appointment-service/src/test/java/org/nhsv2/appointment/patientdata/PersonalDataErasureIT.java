package org.nhsv2.appointment.patientdata;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.nhsv2.appointment.IntegrationTest;
import org.nhsv2.appointment.api.AppointmentView;
import org.nhsv2.appointment.config.CacheSettings;
import org.nhsv2.platform.api.PatientPersonalDataErasedEvent;
import org.nhsv2.platform.testing.Api;
import org.springframework.beans.factory.annotation.Autowired;
import redis.clients.jedis.JedisPooled;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.nhsv2.platform.testing.DemoUsers.ADMIN;
import static org.nhsv2.platform.testing.DemoUsers.ALICE;
import static org.nhsv2.platform.testing.DemoUsers.RIVERSIDE;

/** Erasure deletes the patient's key: the facts stay, the personal data is gone everywhere. */
class PersonalDataErasureIT extends IntegrationTest {

    @Autowired
    private JedisPooled redis;
    @Autowired
    private CacheSettings cacheSettings;

    @Test
    void shouldShowPersonalDataAsErasedAndKeepItOutOfEveryTableAndCache() {
        Api alice = as(ALICE);
        UUID patient = UUID.randomUUID();
        String marker = "zq" + UUID.randomUUID().toString().replace("-", "");
        Map<String, Object> body = booking(RIVERSIDE, patient, freeSlot());
        body.put("patientName", "Name " + marker);
        body.put("patientEmail", marker + "@example.test");
        body.put("reason", "Reason " + marker);
        Api.Response booked = alice.post("/api/appointments", body);
        String id = booked.text("appointmentId");
        alice.post("/api/appointments/" + id + "/cancel", Map.of("reason", "Cancelled " + marker));
        String day = Instant.parse(booked.text("start")).toString().substring(0, 10);
        alice.get("/api/facilities/" + RIVERSIDE + "/appointments?from=" + day); // fills the cache

        assertThat(booked.text("patientName")).isEqualTo("Name " + marker);
        assertThat(alice.get("/api/appointments/" + id + "/history").body().toString()).contains("Reason " + marker);
        // Sealed from the start: not even before erasure does any table or cache entry hold the clear text.
        assertThat(tablesContaining(marker)).isEmpty();
        assertThat(cacheEntriesContaining(marker)).isEmpty();

        Api.Response erased = as(ADMIN).delete("/api/patients/" + patient
                + "/personal-data?basis=DATA_SUBJECT_REQUEST&reference=DSR-2026-0042");
        assertThat(erased.status()).isEqualTo(200);
        assertThat(erased.body().path("dataKeyDestroyed").asBoolean()).isTrue();
        assertThat(erased.text("basis")).isEqualTo("DATA_SUBJECT_REQUEST");
        assertThat(erased.text("summary")).contains("data key was destroyed");
        assertThat(alice.delete("/api/patients/" + patient + "/personal-data?basis=DATA_SUBJECT_REQUEST").status()).isEqualTo(403);
        assertThat(jdbc.queryForObject("""
                select convert_from(meta_data, 'UTF8') from domain_event_entry
                where payload_type like '%PatientPersonalDataErasedEvent' and convert_from(payload, 'UTF8') like ?""",
                String.class, "%" + patient + "%"))
                .as("the erasure is itself recorded, with who did it")
                .contains("\"actorRole\":\"ADMIN\"").contains("a0000000-0000-4000-8000-000000000001");
        assertThat(jdbc.queryForObject("""
                select convert_from(payload, 'UTF8') from domain_event_entry
                where payload_type like '%PatientPersonalDataErasedEvent' and convert_from(payload, 'UTF8') like ?""",
                String.class, "%" + patient + "%"))
                .as("and why")
                .contains("\"basis\":\"DATA_SUBJECT_REQUEST\"").contains("\"reference\":\"DSR-2026-0042\"");

        JsonNode view = alice.get("/api/appointments/" + id).body();
        assertThat(view.path("patientName").asText()).isEqualTo(AppointmentView.ERASED);
        assertThat(view.path("patientEmail").asText()).isEqualTo(AppointmentView.ERASED);
        assertThat(view.path("reason").asText()).isEqualTo(AppointmentView.ERASED);
        assertThat(view.path("cancellationReason").asText()).isEqualTo(AppointmentView.ERASED);
        assertThat(view.path("status").asText()).isEqualTo("CANCELLED");
        assertThat(view.path("start").asText()).isEqualTo(booked.text("start"));
        JsonNode listed = alice.get("/api/facilities/" + RIVERSIDE + "/appointments?from=" + day + "&size=200").body();
        assertThat(listed.toString()).doesNotContain(marker).contains(id);
        JsonNode history = alice.get("/api/appointments/" + id + "/history").body();
        assertThat(history.path("entries")).hasSize(2);
        assertThat(history.toString()).doesNotContain(marker).contains(AppointmentView.ERASED);
        assertThat(jdbc.queryForObject("select count(*) from patient_data_key where patient_id = ?", Integer.class, patient))
                .isZero();
        assertThat(tablesContaining(marker)).isEmpty();
        assertThat(cacheEntriesContaining(marker)).isEmpty();

        // A later booking for the same patient gets a fresh key and reads in clear again, while what
        // the erased key sealed stays erased (and must not be opened with the new key).
        // Half an hour later: slots start on the hour, so this stays on the same local day (an hour later
        // would cross midnight for a slot at 23:00).
        Map<String, Object> again = booking(RIVERSIDE, patient, Instant.parse(booked.text("start")).plusSeconds(1800));
        Api.Response rebooked = alice.post("/api/appointments", again);
        assertThat(rebooked.status()).isEqualTo(201);
        assertThat(rebooked.text("patientName")).isEqualTo(again.get("patientName"));
        assertThat(alice.get("/api/appointments/" + id).body().path("patientName").asText()).isEqualTo(AppointmentView.ERASED);
        Api.Response sameDay = alice.get("/api/facilities/" + RIVERSIDE + "/appointments?from=" + day + "&size=200");
        assertThat(sameDay.status()).isEqualTo(200);
        assertThat(sameDay.body().path("items").findValuesAsText("patientName"))
                .contains(AppointmentView.ERASED, (String) again.get("patientName"));
    }

    @Test
    void shouldRecordTheErasureAndSaySoWhenThePatientHadNothingStored() {
        UUID stranger = UUID.randomUUID();

        Api.Response erased = as(ADMIN).delete("/api/patients/" + stranger + "/personal-data?basis=DATA_SUBJECT_REQUEST");

        assertThat(erased.status()).isEqualTo(200);
        assertThat(erased.text("patientId")).isEqualTo(stranger.toString());
        assertThat(erased.body().path("dataKeyDestroyed").asBoolean()).isFalse();
        assertThat(erased.body().path("idempotencyRecordsDeleted").asInt()).isZero();
        assertThat(erased.text("summary")).contains("No personal data was stored");
        String event = jdbc.queryForObject("""
                select convert_from(payload, 'UTF8') from domain_event_entry
                where payload_type like '%PatientPersonalDataErasedEvent' and convert_from(payload, 'UTF8') like ?""",
                String.class, "%" + stranger + "%");
        assertThat(event).contains("\"dataKeyDestroyed\":false");
    }

    /** Every column of every table of the service's schema, bytea decoded, searched for the text. */
    private List<String> tablesContaining(String text) {
        List<String> hits = new ArrayList<>();
        List<Map<String, Object>> columns = jdbc.queryForList("""
                select table_name, column_name, data_type from information_schema.columns
                where table_schema = 'public'""");
        for (Map<String, Object> column : columns) {
            String table = (String) column.get("table_name");
            String name = (String) column.get("column_name");
            String value = "bytea".equals(column.get("data_type")) ? "encode(\"" + name + "\", 'escape')" : "\"" + name + "\"::text";
            Integer count = jdbc.queryForObject("select count(*) from \"" + table + "\" where position(? in " + value + ") > 0",
                    Integer.class, text);
            if (count != null && count > 0) {
                hits.add(table + "." + name);
            }
        }
        assertThat(columns).extracting(column -> column.get("table_name"))
                .contains("domain_event_entry", "appointment_view", "token_entry");
        return hits;
    }

    private List<String> cacheEntriesContaining(String text) {
        List<String> hits = new ArrayList<>();
        int keys = 0;
        for (String key : redis.keys(cacheSettings.keyPrefix() + "*")) { // KEYS: fine on a test's Redis
            keys++;
            String value = redis.get(key);
            if (value != null && value.contains(text)) {
                hits.add(key);
            }
        }
        assertThat(keys).as("cache entries to search").isPositive();
        return hits;
    }
}
