package org.nhsv2.appointment.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.spring.JqwikSpringSupport;
import org.nhsv2.appointment.IntegrationTest;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.ApiFuzz;
import org.nhsv2.platform.testing.ApiFuzz.Endpoint;
import org.nhsv2.platform.testing.ApiFuzz.Sent;
import org.nhsv2.platform.testing.DemoUsers;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.nhsv2.platform.testing.ApiFuzz.jsonStrings;
import static org.nhsv2.platform.testing.ApiFuzz.jsonValue;
import static org.nhsv2.platform.testing.ApiFuzz.objects;
import static org.nhsv2.platform.testing.ApiFuzz.quote;

/**
 * Random and extreme values in every endpoint's body, query and path parameters and headers: the
 * answer is never a 500, every refusal is a problem document, and a refused request changes nothing
 * in the stores (see {@link ApiFuzz}). One property draws from a table of every route the service maps
 * (and fails if it maps one the table lacks); the others dwell on bookings, changes, listings, paths and
 * headers. Bookings go to bob.doctor at Northgate with random patients, whose time no other
 * test uses, so a random body that happens to be valid books harmlessly.
 */
@JqwikSpringSupport
class ApiFuzzIT extends IntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NORTHGATE = DemoUsers.NORTHGATE.toString();
    private static final List<String> BOOKING_FIELDS = List.of("facilityId", "doctorId", "patientId", "patientName",
            "patientEmail", "start", "durationMinutes", "reason");
    private static final List<String> CHANGE_FIELDS = List.of("start", "durationMinutes", "reason");
    /** The command side's tables and the view: a refused request must leave each exactly as it was. */
    private static final String STORES = """
            select (select count(*) from domain_event_entry) || '/' || (select count(*) from slot_claim) || '/'
                || (select count(*) from patient_data_key) || '/' || (select count(*) from idempotency_key) || '/'
                || (select count(*) from appointment_view)""";
    private static final String APPOINTMENT = "fixture-appointment";
    /** Every route, and the figures of every property of the class. */
    private static ApiFuzz fuzz;

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
        fuzz().fixture(APPOINTMENT, appointmentId);
    }

    @Example
    void shouldCoverEveryRouteTheServiceMaps() {
        fuzz().assertCovers(context);
    }

    @Property(tries = 150)
    void shouldAnswerEveryRouteWithinItsRules(@ForAll("everyRouteRequests") Sent request) {
        signIn();
        fuzz().send(port, request, this::stores);
    }

    @Provide
    Arbitrary<Sent> everyRouteRequests() {
        return fuzz().requests();
    }

    private static ApiFuzz fuzz() {
        if (fuzz == null) {
            fuzz = new ApiFuzz("appointment-service", everyRoute());
        }
        return fuzz;
    }

    /** Each route with its caller, plausible values mixed into the random ones, and what a 2xx must satisfy. */
    private static List<Endpoint> everyRoute() {
        String bob = Api.tokenOf(DemoUsers.BOB);
        String admin = Api.tokenOf(DemoUsers.ADMIN);
        String patient = Api.tokenOf(DemoUsers.PAT_ONE);
        Arbitrary<String> appointments = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(APPOINTMENT)),
                Tuple.of(1, ApiFuzz.pathValues()));
        Arbitrary<String> changes = bodies(CHANGE_FIELDS);
        Arbitrary<String> pages = Arbitraries.oneOf(ApiFuzz.parameterValues(), Arbitraries.of("0", "1", "200", "201", "10000"));
        return List.of(
                Endpoint.of("POST /api/appointments", () -> bob).bodies(bodies(BOOKING_FIELDS))
                        .allowing(ApiFuzzIT::allowedBooking),
                Endpoint.of("GET /api/appointments/{appointmentId}", () -> bob).paths(appointments),
                Endpoint.of("GET /api/appointments/{appointmentId}/history", () -> bob).paths(appointments),
                Endpoint.of("POST /api/appointments/{appointmentId}/reschedule", () -> bob).paths(appointments)
                        .bodies(changes).allowing(ApiFuzzIT::allowedTimes),
                Endpoint.of("POST /api/appointments/{appointmentId}/cancel", () -> bob).paths(appointments).bodies(changes)
                        .allowing((sent, answer) -> answer.statusCode() == 202
                                || "CANCELLED".equals(ApiFuzz.json(answer.body()).path("status").asText())),
                // Bob's appointment has not started, so neither may succeed.
                Endpoint.of("POST /api/appointments/{appointmentId}/fulfil", () -> bob).paths(appointments)
                        .allowing((sent, answer) -> false),
                Endpoint.of("POST /api/appointments/{appointmentId}/no-show", () -> bob).paths(appointments)
                        .allowing((sent, answer) -> false),
                Endpoint.of("GET /api/facilities", () -> bob),
                Endpoint.of("GET /api/facilities/{facilityId}/appointments", () -> bob)
                        .paths(Arbitraries.oneOf(Arbitraries.just(NORTHGATE), ApiFuzz.pathValues()))
                        .parameters("from", "to", "doctorId", "status", "page", "size")
                        .parameterValues(name -> switch (name) {
                            case "from", "to" -> Arbitraries.oneOf(ApiFuzz.parameterValues(),
                                    Arbitraries.integers().between(-4000, 4000).map(days -> LocalDate.now().plusDays(days).toString()));
                            case "status" -> Arbitraries.oneOf(ApiFuzz.parameterValues(), Arbitraries.of("BOOKED", "booked", "CANCELLED"));
                            case "doctorId" -> Arbitraries.oneOf(ApiFuzz.parameterValues(), Arbitraries.just(DemoUsers.BOB_ID.toString()));
                            default -> pages;
                        })
                        .allowing(ApiFuzzIT::allowedListing),
                Endpoint.of("GET /api/patients/me/appointments", () -> patient).parameters("page", "size")
                        .parameterValues(name -> pages),
                Endpoint.of("GET /api/patients/{patientId}/appointments", () -> admin).parameters("page", "size")
                        .parameterValues(name -> pages),
                Endpoint.of("GET /api/doctors/{doctorId}/calendar.ics", () -> bob)
                        .paths(Arbitraries.oneOf(Arbitraries.just(DemoUsers.BOB_ID.toString()), ApiFuzz.pathValues()))
                        .allowing((sent, answer) -> answer.body().startsWith("BEGIN:VCALENDAR")),
                ApiFuzz.erasure(() -> admin),
                Endpoint.of("GET /v3/api-docs", () -> null),
                Endpoint.of("GET /v3/api-docs.yaml", () -> null),
                Endpoint.of("GET /v3/api-docs/swagger-config", () -> null),
                Endpoint.of("GET /swagger-ui.html", () -> null),
                Endpoint.of("GET /error", () -> bob));
    }

    /** At bob's facility, for bob (the default doctor), on a whole minute in the next five years, 5..240 minutes. */
    private static boolean allowedBooking(Sent sent, HttpResponse<String> answer) {
        JsonNode request = sent.json();
        if (!NORTHGATE.equals(request.path("facilityId").asText())
                || !(request.path("doctorId").isNull() || request.path("doctorId").isMissingNode()
                || DemoUsers.BOB_ID.toString().equals(request.path("doctorId").asText()))) {
            return false;
        }
        return answer.statusCode() == 202 || allowedTimes(sent, answer);
    }

    /** The appointment's times as the answer shows them keep the rules. */
    private static boolean allowedTimes(Sent sent, HttpResponse<String> answer) {
        if (answer.statusCode() == 202) {
            return true;
        }
        JsonNode view = ApiFuzz.json(answer.body());
        Instant start = Instant.parse(view.path("start").asText());
        int minutes = view.path("durationMinutes").asInt();
        return start.equals(start.truncatedTo(ChronoUnit.MINUTES)) && start.isAfter(Instant.now().minus(Duration.ofDays(1)))
                && start.isBefore(Instant.now().plus(Duration.ofDays(5 * 366 + 1))) && minutes >= 5 && minutes <= 240;
    }

    /** A range of at most 31 days, from before to, within ten years of today. */
    private static boolean allowedListing(Sent sent, HttpResponse<String> answer) {
        String query = sent.path().contains("?") ? sent.path().substring(sent.path().indexOf('?') + 1) : "";
        LocalDate from = null;
        LocalDate to = null;
        for (String parameter : query.split("&")) {
            String[] pair = parameter.split("=", 2);
            try {
                if (pair[0].equals("from")) {
                    from = LocalDate.parse(java.net.URLDecoder.decode(pair[1], StandardCharsets.UTF_8));
                } else if (pair[0].equals("to")) {
                    to = LocalDate.parse(java.net.URLDecoder.decode(pair[1], StandardCharsets.UTF_8));
                }
            } catch (DateTimeParseException | ArrayIndexOutOfBoundsException e) {
                return false;
            }
        }
        LocalDate until = to != null ? to : from;
        return from != null && !until.isBefore(from) && ChronoUnit.DAYS.between(from, until) < 31
                && Math.abs(ChronoUnit.DAYS.between(LocalDate.now(), from)) <= 3660;
    }

    @AfterContainer
    static void figures() {
        if (fuzz != null) {
            fuzz.printFigures();
        }
    }

    /** Found by the fuzz: the booking was made and stored, and only then was its answer refused (406). */
    @Example
    void shouldRefuseABookingBeforeMakingItWhenTheClientWouldNotAcceptTheAnswer() {
        signIn();
        Map<String, Object> body = booking(DemoUsers.NORTHGATE, UUID.randomUUID(), freeSlot());
        call("POST", "/api/appointments", bob, Map.of("Content-Type", "application/json",
                "Accept", "application/json; charset=ISO-8859-1"), json(body).getBytes(StandardCharsets.UTF_8));
    }

    /** Found by the fuzz: a body declared multipart that is not was a 500. */
    @Example
    void shouldRefuseABodyDeclaredMultipartThatIsNot() {
        signIn();
        Map<String, Object> body = booking(DemoUsers.NORTHGATE, UUID.randomUUID(), freeSlot());
        call("POST", "/api/appointments", bob, Map.of("Content-Type", "multipart/form-data"),
                json(body).getBytes(StandardCharsets.UTF_8));
    }

    /** Found by the fuzz: a parameter name the firewall refuses, read by a handler, was a 500. */
    @Example
    void shouldRefuseAParameterNameTheFirewallRefuses() {
        signIn();
        call("GET", "/swagger-ui.html?%00=", null, Map.of(), null);
    }

    @Property(tries = 120)
    void shouldNeverFailOrChangeAStoreWhenABookingBodyIsRefused(@ForAll("bookingBodies") String body) {
        signIn();
        call("POST", "/api/appointments", bob, Map.of("Content-Type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 80)
    void shouldNeverFailOrChangeAStoreWhenAChangeBodyIsRefused(@ForAll("changeBodies") String body,
                                                              @ForAll("changes") String change) {
        signIn();
        call("POST", "/api/appointments/" + appointmentId + "/" + change, bob, Map.of("Content-Type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 50)
    void shouldNeverFailWhenTheBodyIsNotEvenText(@ForAll byte[] body, @ForAll("postPaths") String path) {
        signIn();
        call("POST", path, bob, Map.of("Content-Type", "application/json"), body);
    }

    @Property(tries = 60)
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

    @Property(tries = 80)
    void shouldNeverFailWhenPathParametersAreWild(@ForAll("parameterValues") String id, @ForAll("pathTemplates") String template) {
        signIn();
        String path = template.replace("{}", encode(id));
        String method = template.contains("/personal-data") ? "DELETE" : template.endsWith("appointments") ? "GET"
                : template.matches(".*/(cancel|reschedule|fulfil|no-show)$") ? "POST" : "GET";
        String token = method.equals("DELETE") || template.startsWith("/api/patients") ? admin : bob;
        call(method, path, token, Map.of("Content-Type", "application/json"),
                method.equals("POST") ? "{\"reason\":\"x\"}".getBytes(StandardCharsets.UTF_8) : null);
    }

    @Property(tries = 80)
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

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends the request, and checks what must hold whatever was sent (see {@link ApiFuzz#send}). */
    private void call(String method, String path, String token, Map<String, String> headers, byte[] body) {
        fuzz().send(port, new Sent(Endpoint.of(method + " " + path, () -> token), path, headers, body), this::stores);
    }

    private String stores() {
        return jdbc.queryForObject(STORES, String.class);
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
    private static Arbitrary<String> bodies(List<String> fields) {
        return Arbitraries.frequencyOf(
                Tuple.of(8, objects(fields, ApiFuzzIT::bookingValue)),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(80)),
                Tuple.of(1, ApiFuzz.nested().map(bytes -> new String(bytes, StandardCharsets.UTF_8))));
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
                "/api/patients/{}/personal-data?basis=LEGAL_OBLIGATION");
    }

    @Provide
    Arbitrary<String> parameterValues() {
        return Arbitraries.oneOf(ApiFuzz.parameterValues(), Arbitraries.of("BOOKED", "booked", "CANCELLED"));
    }

    @Provide
    Arbitrary<String> headerValues() {
        return ApiFuzz.headerValues();
    }

    /** Mostly plausible values, so that many requests get past parsing to the rules behind it. */
    private static Arbitrary<String> bookingValue(String field) {
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

    private static Arbitrary<String> starts() {
        Instant soon = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        return Arbitraries.oneOf(
                Arbitraries.longs().between(-60, 6L * 366 * 24 * 60).map(minutes ->
                        quote(soon.plus(Duration.ofDays(2000)).plus(Duration.ofMinutes(minutes)).toString())),
                Arbitraries.of("+999999999-12-31T23:59:00Z", "-999999999-01-01T00:00:00Z", "+100000-01-01T00:00:00Z",
                        "2030-02-30T10:00:00Z", "2030-01-01T10:00:00+25:00", "2030-01-01T10:00:00[Mars/Olympus]",
                        "2030-01-01T10:00:00", "2030-01-01", "10:00", "", "2030-01-01T10:00:00.123456789Z").map(ApiFuzz::quote),
                Arbitraries.of("0", "-1", "1e300", "99999999999999999999", "1893456000", "-9223372036854775808"));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
