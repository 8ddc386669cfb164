package org.nhsv2.appointment.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.spring.JqwikSpringSupport;
import org.nhsv2.appointment.IntegrationTest;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.DemoUsers;

import java.io.IOException;
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
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random and extreme values in every endpoint's body, query and path parameters and headers: the
 * answer is never a 500, every refusal is a problem document, and a refused request changes nothing
 * in the stores. Bookings go to bob.doctor at Northgate with random patients, whose time no other
 * test uses, so a random body that happens to be valid books harmlessly.
 */
@JqwikSpringSupport
class ApiFuzzIT extends IntegrationTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NORTHGATE = DemoUsers.NORTHGATE.toString();
    private static final List<String> BOOKING_FIELDS = List.of("facilityId", "doctorId", "patientId", "patientName",
            "patientEmail", "start", "durationMinutes", "reason");
    private static final List<String> CHANGE_FIELDS = List.of("start", "durationMinutes", "reason");
    /** The command side's tables: a refused request must leave each exactly as it was. */
    private static final String STORES = """
            select (select count(*) from domain_event_entry) || '/' || (select count(*) from slot_claim) || '/'
                || (select count(*) from patient_data_key) || '/' || (select count(*) from idempotency_key)""";

    private String bob;
    private String admin;
    private String appointmentId;

    /**
     * Called by each property on its first try: jqwik-spring injects the port and the database around
     * each try, after the property's lifecycle hooks have run.
     */
    private void signIn() {
        if (appointmentId != null) {
            return;
        }
        bob = Api.tokenOf(DemoUsers.BOB);
        admin = Api.tokenOf(DemoUsers.ADMIN);
        Map<String, Object> body = booking(DemoUsers.NORTHGATE, UUID.randomUUID(), freeSlot());
        Api.Response booked = as(DemoUsers.BOB).post("/api/appointments", body);
        assertThat(booked.status()).isEqualTo(201);
        appointmentId = booked.text("appointmentId");
    }

    @Property(tries = 400)
    void shouldNeverFailOrChangeAStoreWhenABookingBodyIsRefused(@ForAll("bookingBodies") String body) {
        signIn();
        call("POST", "/api/appointments", bob, Map.of("Content-Type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 300)
    void shouldNeverFailOrChangeAStoreWhenAChangeBodyIsRefused(@ForAll("changeBodies") String body,
                                                              @ForAll("changes") String change) {
        signIn();
        call("POST", "/api/appointments/" + appointmentId + "/" + change, bob, Map.of("Content-Type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 200)
    void shouldNeverFailWhenTheBodyIsNotEvenText(@ForAll byte[] body, @ForAll("postPaths") String path) {
        signIn();
        call("POST", path, bob, Map.of("Content-Type", "application/json"), body);
    }

    @Property(tries = 300)
    void shouldNeverFailWhenListingParametersAreWild(@ForAll("parameterValues") String from,
                                                    @ForAll("parameterValues") String to,
                                                    @ForAll("parameterValues") String doctorId,
                                                    @ForAll("parameterValues") String status,
                                                    @ForAll("parameterValues") String page,
                                                    @ForAll("parameterValues") String size) {
        signIn();
        String query = "from=" + encode(from) + "&to=" + encode(to) + "&doctorId=" + encode(doctorId)
                + "&status=" + encode(status) + "&page=" + encode(page) + "&size=" + encode(size);
        call("GET", "/api/facilities/" + NORTHGATE + "/appointments?" + query, bob, Map.of(), null);
        call("GET", "/api/patients/" + UUID.randomUUID() + "/appointments?page=" + encode(page) + "&size=" + encode(size),
                admin, Map.of(), null);
    }

    @Property(tries = 300)
    void shouldNeverFailWhenPathParametersAreWild(@ForAll("parameterValues") String id, @ForAll("pathTemplates") String template) {
        signIn();
        String path = template.replace("{}", encode(id));
        String method = template.endsWith("personal-data") ? "DELETE" : template.endsWith("appointments") ? "GET"
                : template.matches(".*/(cancel|reschedule|fulfil|no-show)$") ? "POST" : "GET";
        String token = method.equals("DELETE") || template.startsWith("/api/patients") ? admin : bob;
        call(method, path, token, Map.of("Content-Type", "application/json"),
                method.equals("POST") ? "{\"reason\":\"x\"}".getBytes(StandardCharsets.UTF_8) : null);
    }

    @Property(tries = 300)
    void shouldNeverFailWhenHeadersAreWild(@ForAll("headerValues") String idempotencyKey,
                                           @ForAll("headerValues") String contentType,
                                           @ForAll("headerValues") String accept) {
        signIn();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Idempotency-Key", idempotencyKey);
        headers.put("Content-Type", contentType);
        headers.put("Accept", accept);
        Map<String, Object> body = booking(DemoUsers.NORTHGATE, UUID.randomUUID(), Instant.now().plus(Duration.ofDays(3000)));
        call("POST", "/api/appointments", bob, headers, json(body).getBytes(StandardCharsets.UTF_8));
    }

    /** Sends the request, and checks what must hold whatever was sent. */
    private void call(String method, String path, String token, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(request::header);
        } catch (IllegalArgumentException notSendable) {
            Assume.that(false); // the client itself refuses such a header or URI: nothing reaches the service
            return;
        }
        String storesBefore = jdbc.queryForObject(STORES, String.class);
        HttpResponse<String> response = send(request.build());
        int status = response.statusCode();
        String what = method + " " + path + " -> " + status + " " + response.body();

        assertThat(status).as(what).isLessThan(500);
        if (status >= 400) {
            assertThat(response.headers().firstValue("Content-Type")).as(what)
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            JsonNode problem = readTree(response.body());
            assertThat(problem.path("code").asText()).as(what).isNotBlank();
            assertThat(problem.has("trace") || problem.has("exception")).as(what).isFalse();
            assertThat(jdbc.queryForObject(STORES, String.class)).as("stores after " + what).isEqualTo(storesBefore);
        }
    }

    @Provide
    Arbitrary<String> bookingBodies() {
        return bodies(BOOKING_FIELDS);
    }

    @Provide
    Arbitrary<String> changeBodies() {
        return bodies(CHANGE_FIELDS);
    }

    /** Mostly objects with these fields; sometimes plain text or deeply nested arrays. */
    private Arbitrary<String> bodies(List<String> fields) {
        return Arbitraries.frequencyOf(
                Tuple.of(8, objects(fields, this::bookingValue)),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(80)),
                Tuple.of(1, nested()));
    }

    @Provide
    Arbitrary<String> changes() {
        return Arbitraries.of("cancel", "reschedule", "fulfil", "no-show");
    }

    @Provide
    Arbitrary<String> postPaths() {
        return Arbitraries.of("/api/appointments", "/api/appointments/" + UUID.randomUUID() + "/cancel",
                "/api/appointments/" + UUID.randomUUID() + "/reschedule");
    }

    @Provide
    Arbitrary<String> pathTemplates() {
        return Arbitraries.of("/api/appointments/{}", "/api/appointments/{}/history", "/api/appointments/{}/cancel",
                "/api/appointments/{}/reschedule", "/api/appointments/{}/fulfil", "/api/appointments/{}/no-show",
                "/api/facilities/{}/appointments?from=2030-01-01", "/api/patients/{}/appointments",
                "/api/patients/{}/personal-data");
    }

    @Provide
    Arbitrary<String> parameterValues() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().withCharRange('0', '9').withChars('-', '+', ':', 'T', 'Z').ofMaxLength(30),
                Arbitraries.of("", "0", "-1", "2147483648", "99999999999999999999", "NaN", "1e9", "+999999999-12-31",
                        "-999999999-01-01", "2030-02-30", "2030-01-01", "BOOKED", "booked", "CANCELLED", "me",
                        UUID.randomUUID().toString(), "00000000-0000-0000-0000-000000000000", "../..", "%00", "null"),
                Arbitraries.longs().map(String::valueOf));
    }

    @Provide
    Arbitrary<String> headerValues() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ascii().ofMaxLength(300),
                Arbitraries.strings().withCharRange('\u0020', '\u00ff').ofMaxLength(40),
                Arbitraries.of("application/json", "application/json; charset=ISO-8859-1", "application/json; charset=bogus",
                        "text/plain", "application/xml", "*/*", "", " ", "a".repeat(201), "application/problem+json"));
    }

    /** A JSON object with some of the fields (and sometimes an unknown one), each with a fuzzed value. */
    private Arbitrary<String> objects(List<String> fields, Function<String, Arbitrary<String>> values) {
        List<Arbitrary<String>> members = new ArrayList<>();
        for (String field : fields) {
            members.add(Arbitraries.oneOf(Arbitraries.just(""), values.apply(field).map(value -> quote(field) + ":" + value)));
        }
        members.add(Arbitraries.oneOf(Arbitraries.just(""), Combinators.combine(Arbitraries.strings().ofMaxLength(20),
                jsonValue()).as((name, value) -> quote(name) + ":" + value)));
        return Combinators.combine(members).as(parts -> "{" + String.join(",", parts.stream().filter(p -> !p.isEmpty()).toList()) + "}");
    }

    /** Mostly plausible values, so that many requests get past parsing to the rules behind it. */
    private Arbitrary<String> bookingValue(String field) {
        Arbitrary<String> plausible = switch (field) {
            case "facilityId" -> Arbitraries.of(quote(NORTHGATE), quote(DemoUsers.RIVERSIDE.toString()), quote(UUID.randomUUID().toString()));
            case "doctorId" -> Arbitraries.of(quote(DemoUsers.BOB_ID.toString()), quote(DemoUsers.ALICE_ID.toString()), "null");
            case "patientId" -> Arbitraries.create(() -> quote(UUID.randomUUID().toString()));
            case "start" -> starts();
            case "durationMinutes" -> Arbitraries.of("30", "5", "240", "4", "241", "0", "-30", "30.5", "\"30\"", "1e999",
                    "99999999999999999999999", "-0", "NaN");
            default -> Arbitraries.oneOf(Arbitraries.of(quote("Ada Lovelace"), quote("ada@example.org"), quote("Check-up"),
                    quote("\u2003\u2003"), quote("A\u200bda"), quote("\u202eevil"), quote("x".repeat(501)),
                    quote("y".repeat(70_000))), jsonStrings());
        };
        return Arbitraries.frequencyOf(Tuple.of(3, plausible), Tuple.of(1, jsonValue()));
    }

    private Arbitrary<String> starts() {
        Instant soon = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        return Arbitraries.oneOf(
                Arbitraries.longs().between(-60, 6L * 366 * 24 * 60).map(minutes ->
                        quote(soon.plus(Duration.ofDays(2000)).plus(Duration.ofMinutes(minutes)).toString())),
                Arbitraries.of("+999999999-12-31T23:59:00Z", "-999999999-01-01T00:00:00Z", "+100000-01-01T00:00:00Z",
                        "2030-02-30T10:00:00Z", "2030-01-01T10:00:00+25:00", "2030-01-01T10:00:00[Mars/Olympus]",
                        "2030-01-01T10:00:00", "2030-01-01", "10:00", "", "2030-01-01T10:00:00.123456789Z").map(ApiFuzzIT::quote),
                Arbitraries.of("0", "-1", "1e300", "99999999999999999999", "1893456000", "-9223372036854775808"));
    }

    private Arbitrary<String> jsonValue() {
        return Arbitraries.oneOf(jsonStrings(),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf).filter(d -> !d.contains("Infinity") && !d.contains("NaN")),
                Arbitraries.of("true", "false", "null", "[]", "{}", "[1,\"a\",null]", "{\"a\":{\"b\":[]}}", "1e999", "-"));
    }

    /** Any text, with some characters written as JSON escapes (lone surrogates and controls included). */
    private Arbitrary<String> jsonStrings() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(60).map(ApiFuzzIT::quote),
                Arbitraries.strings().all().ofMinLength(60_000).ofMaxLength(70_000).map(ApiFuzzIT::quote),
                Arbitraries.integers().between(0, 0xFFFF).list().ofMaxSize(8)
                        .map(chars -> "\"" + String.join("", chars.stream().map(c -> String.format("\\u%04x", c)).toList()) + "\""));
    }

    private Arbitrary<String> nested() {
        return Arbitraries.integers().between(1, 2_000).map(depth -> "[".repeat(depth) + "]".repeat(depth));
    }

    private static String quote(String text) {
        return json(text);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static JsonNode readTree(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("a problem answer that is not JSON: " + body, e);
        }
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("the service dropped " + request.method() + " " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
