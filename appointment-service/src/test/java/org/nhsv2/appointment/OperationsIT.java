package org.nhsv2.appointment;

import org.junit.jupiter.api.Test;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.DemoUsers;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What an operator and an API client rely on besides the API itself. */
class OperationsIT extends IntegrationTest {

    @Test
    void shouldReportReadinessAndExposeAxonMetricsToPrometheusOnTheManagementPortOnly() {
        Api anonymous = Api.anonymous(managementPort);
        // One booking sends a command, a query and an event through their buses and processor.
        assertThat(as(DemoUsers.ALICE).post("/api/appointments",
                booking(DemoUsers.RIVERSIDE, UUID.randomUUID(), freeSlot())).status()).isEqualTo(201);

        Api.Response readiness = anonymous.get("/actuator/health/readiness");
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.text("status")).isEqualTo("UP");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(rawGet("/actuator/prometheus"))
                .contains("commandBus_successCounter_total")
                .contains("queryBus_successCounter_total")
                .contains("eventProcessor_successCounter_total").contains("processorName=\"appointment-view\"")
                .contains("http_server_requests_seconds_count").contains("spring_security_authentications_seconds_count")
                // not a timer for every security filter on every request
                .doesNotContain("spring_security_filterchains")
                // nor Axon's capacity gauges, which keep every message's duration for ten minutes (MessageMetrics)
                .doesNotContain("eventProcessor_capacity", "commandBus_capacity", "queryBus_capacity"));

        // The API port, which the gateway publishes, serves neither metrics nor health, to anyone.
        for (String path : List.of("/actuator/prometheus", "/actuator/health", "/actuator/metrics")) {
            assertThat(Api.anonymous(port).get(path).status()).as(path).isEqualTo(401);
            assertThat(as(DemoUsers.ADMIN).get(path).status()).as(path).isEqualTo(403);
        }
    }

    /**
     * The actuator's answers are JSON, written in UTF-8 only: an Accept header that admits JSON in another charset
     * is refused like any other unacceptable one, not failed as "not writable".
     */
    @Test
    void shouldRefuseAnAcceptHeaderTheActuatorCannotAnswerWith406() {
        Api anonymous = Api.anonymous(managementPort);
        for (String path : List.of("/actuator/health", "/actuator/health/readiness", "/actuator/info")) {
            Api.Response refused = anonymous.send("GET", path, null,
                    Map.of("Accept", "application/json; charset=ISO-8859-1"));
            assertThat(refused.status()).as(path).isEqualTo(406);
            assertThat(refused.header("Content-Type")).as(path).hasValueSatisfying(type ->
                    assertThat(type).startsWith("application/problem+json"));
            assertThat(refused.text("code")).as(path).isEqualTo("http-406");

            assertThat(anonymous.send("GET", path, null, Map.of("Accept", "application/json; charset=UTF-8")).status())
                    .as(path).isEqualTo(200);
        }
    }

    @Test
    void shouldDescribeTheApiWithItsBearerSecurityScheme() {
        Api.Response openApi = Api.anonymous(port).get("/v3/api-docs");
        assertThat(openApi.status()).isEqualTo(200);
        assertThat(openApi.body().path("components").path("securitySchemes").path("keycloak-bearer").path("scheme").asText())
                .isEqualTo("bearer");
        var paths = openApi.body().path("paths");
        assertThat(paths.has("/api/appointments/{appointmentId}/reschedule")).isTrue();
        var book = paths.path("/api/appointments").path("post");
        assertThat(book.path("responses").has("201")).isTrue();
        assertThat(book.path("responses").path("409").path("content").has("application/problem+json")).isTrue();
        assertThat(book.path("parameters").findValuesAsText("name")).containsExactly("Idempotency-Key");
    }

    @Test
    void shouldAnswer401WithAProblemWhenNoTokenIsSent() {
        Api.Response response = Api.anonymous(port).get("/api/facilities");
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.text("code")).isEqualTo("unauthenticated");
        assertThat(response.header("WWW-Authenticate")).hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
    }

    @Test
    void shouldListTheSeededFacilitiesWithTheirTimeZones() {
        Api.Response facilities = as(DemoUsers.PAT_ONE).get("/api/facilities");
        assertThat(facilities.status()).isEqualTo(200);
        assertThat(facilities.body().findValuesAsText("id"))
                .contains(DemoUsers.RIVERSIDE.toString(), DemoUsers.NORTHGATE.toString());
        assertThat(facilities.body().findValuesAsText("timeZone")).containsOnly("Europe/London");
    }

    /** The PostgreSQL pitfalls of DESIGN.md, checked on the schema the service really uses. */
    @Test
    void shouldStoreEventsAsByteaWithAGlobalIndexFromItsOwnSequenceAndNoLargeObjects() {
        Api alice = as(DemoUsers.ALICE);
        assertThat(alice.post("/api/appointments", booking(DemoUsers.RIVERSIDE, UUID.randomUUID(), freeSlot()))
                .status()).isEqualTo(201);

        assertThat(jdbc.queryForList("""
                select data_type from information_schema.columns
                where table_name in ('domain_event_entry', 'token_entry') and column_name in ('payload', 'meta_data', 'token')""",
                String.class)).isNotEmpty().containsOnly("bytea");
        assertThat(jdbc.queryForObject("select count(*) from pg_largeobject_metadata", Integer.class)).isZero();
        // Each event's global index is the column's default, drawn from this sequence one number at a time.
        assertThat(jdbc.queryForObject(
                "select increment_by from pg_sequences where sequencename = 'domain_event_entry_global_index_seq'",
                Long.class)).isEqualTo(1L);
        assertThat(jdbc.queryForObject("select max(global_index) from domain_event_entry", Long.class))
                .isEqualTo(jdbc.queryForObject("select last_value from domain_event_entry_global_index_seq", Long.class));
    }

    private String rawGet(String path) {
        Api.Response response = Api.anonymous(managementPort).get(path);
        assertThat(response.status()).isEqualTo(200);
        return response.body().asText();
    }
}
