package org.nhsv2.platform.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.springframework.context.ApplicationContext;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzing a service's HTTP API with jqwik: random and extreme values in bodies (wrong types, huge strings, deep
 * nesting, bytes that are not UTF-8, bad dates and zones, negative and enormous numbers, nulls, extra fields), query
 * parameters and headers. Whatever is sent, the answer is never a 5xx; a 4xx is a problem document and leaves the
 * stores as they were; a 2xx must be one the endpoint's rules allow. A service's test describes each of its endpoints
 * once ({@link Endpoint}) and the fuzz fails when the service maps a route the table does not name.
 */
public final class ApiFuzz {

    /** One route ("METHOD /path/{var}" as mapped), who calls it, and what a 2xx answer must satisfy. */
    public record Endpoint(String route, Supplier<String> token, Arbitrary<String> pathValues, List<String> parameters,
                           Function<String, Arbitrary<String>> parameterValues, Arbitrary<String> bodies,
                           Map<String, Arbitrary<String>> extraHeaders, boolean forBrowsers,
                           BiPredicate<Sent, HttpResponse<String>> allowed) {

        public static Endpoint of(String route, Supplier<String> token) {
            return new Endpoint(route, token, ApiFuzz.pathValues(), List.of(), name -> ApiFuzz.parameterValues(), null,
                    Map.of(), false, (sent, answer) -> true);
        }

        /** Values for the path's variables (mostly plausible ones, so that calls get past the first check). */
        public Endpoint paths(Arbitrary<String> values) {
            return new Endpoint(route, token, values, parameters, parameterValues, bodies, extraHeaders, forBrowsers, allowed);
        }

        public Endpoint parameters(String... names) {
            return new Endpoint(route, token, pathValues, List.of(names), parameterValues, bodies, extraHeaders, forBrowsers, allowed);
        }

        public Endpoint parameterValues(Function<String, Arbitrary<String>> values) {
            return new Endpoint(route, token, pathValues, parameters, values, bodies, extraHeaders, forBrowsers, allowed);
        }

        /** JSON bodies for the endpoint, usually {@link #objects}; other garbage is mixed in. */
        public Endpoint bodies(Arbitrary<String> json) {
            return new Endpoint(route, token, pathValues, parameters, parameterValues, json, extraHeaders, forBrowsers, allowed);
        }

        /** A header of the endpoint's own, sometimes left out. */
        public Endpoint header(String name, Arbitrary<String> values) {
            Map<String, Arbitrary<String>> headers = new LinkedHashMap<>(extraHeaders);
            headers.put(name, values);
            return new Endpoint(route, token, pathValues, parameters, parameterValues, bodies, Map.copyOf(headers), forBrowsers, allowed);
        }

        /** A page for browsers: its refusals are HTML, not problem documents. */
        public Endpoint page() {
            return new Endpoint(route, token, pathValues, parameters, parameterValues, bodies, extraHeaders, true, allowed);
        }

        /** What a 2xx answer to a request must satisfy (the endpoint's rules), besides being one. */
        public Endpoint allowing(BiPredicate<Sent, HttpResponse<String>> rule) {
            return new Endpoint(route, token, pathValues, parameters, parameterValues, bodies, extraHeaders, forBrowsers, rule);
        }

        String method() {
            return route.substring(0, route.indexOf(' '));
        }

        String template() {
            return route.substring(route.indexOf(' ') + 1);
        }
    }

    /** A request as sent: what a rule for 2xx answers may look at. */
    public record Sent(Endpoint endpoint, String path, Map<String, String> headers, byte[] body) {
        public String text() {
            return body == null ? "" : new String(body, StandardCharsets.UTF_8);
        }

        /**
         * The body as the service reads it: Jackson tells UTF-16 and UTF-32 from the bytes (a byte-order mark, the zero
         * bytes), and Spring lets it, so a body sent in UTF-16 is JSON to the service, not garbage.
         */
        public JsonNode json() {
            try {
                return JSON.readTree(body == null ? new byte[0] : body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + abbreviated(text()), e);
            }
        }

        /** The first value sent for the query parameter, decoded; empty when it was not sent. */
        public Optional<String> parameter(String name) {
            int query = path.indexOf('?');
            if (query < 0) {
                return Optional.empty();
            }
            for (String pair : path.substring(query + 1).split("&")) {
                int equals = pair.indexOf('=');
                String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                if (key.equals(name)) {
                    return Optional.of(equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                }
            }
            return Optional.empty();
        }

        @Override
        public String toString() {
            String shown = text().length() > 300 ? text().substring(0, 300) + "…(" + body.length + " bytes)" : text();
            return endpoint.method() + " " + path + " " + headers + " " + shown;
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VARIABLE = Pattern.compile("\\{[^}]+}");

    private final String service;
    private final List<Endpoint> endpoints;
    private final AtomicInteger tries = new AtomicInteger();
    private final AtomicInteger unsendable = new AtomicInteger();
    private final Map<Integer, Integer> statuses = new TreeMap<>();
    private final Map<String, String> fixtures = new LinkedHashMap<>();
    private final AtomicInteger changedByRejected = new AtomicInteger();
    private int printedAt = -1;

    public ApiFuzz(String service, List<Endpoint> endpoints) {
        this.service = service;
        this.endpoints = List.copyOf(endpoints);
    }

    /** Fails naming each route the service maps that no endpoint of the table names, and each it names in vain. */
    public void assertCovers(ApplicationContext context) {
        Set<String> mappedRoutes = AccessMatrix.mappedRoutes(context);
        TreeSet<String> named = new TreeSet<>(endpoints.stream().map(Endpoint::route).toList());
        TreeSet<String> missing = new TreeSet<>(mappedRoutes);
        missing.removeAll(named);
        TreeSet<String> stale = new TreeSet<>(named);
        stale.removeAll(mappedRoutes);
        assertThat(missing).as("routes of " + service + " the fuzz does not cover").isEmpty();
        assertThat(stale).as("fuzzed routes " + service + " does not map").isEmpty();
    }

    /**
     * What a marker in path values and bodies stands for: requests are made before a try has its Spring members (so
     * before a fixture exists), and markers are replaced when the request is sent.
     */
    public void fixture(String marker, Object value) {
        fixtures.put(marker, value.toString());
    }

    /** Requests to any endpoint of the table, each with random path values, parameters, headers and body. */
    public Arbitrary<Sent> requests() {
        return Arbitraries.of(endpoints).flatMap(this::requestsTo);
    }

    private Arbitrary<Sent> requestsTo(Endpoint endpoint) {
        Matcher variables = VARIABLE.matcher(endpoint.template());
        int count = (int) variables.results().count();
        Arbitrary<List<String>> pathValues = endpoint.pathValues().list().ofSize(count);
        List<Arbitrary<String>> parameters = new ArrayList<>();
        for (String name : endpoint.parameters()) {
            parameters.add(Arbitraries.oneOf(Arbitraries.just(""),
                    endpoint.parameterValues().apply(name).map(value -> name + "=" + encode(value))));
        }
        parameters.add(Arbitraries.oneOf(Arbitraries.just(""), Combinators.combine(Arbitraries.strings().ofMaxLength(12),
                parameterValues()).as((name, value) -> encode(name) + "=" + encode(value))));
        Arbitrary<String> query = Combinators.combine(parameters).as(parts -> String.join("&",
                parts.stream().filter(part -> !part.isEmpty()).toList()));
        Arbitrary<byte[]> body = endpoint.method().equals("GET") || endpoint.method().equals("DELETE")
                ? Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.just((byte[]) null)), Tuple.of(1, garbageBodies()))
                : endpoint.bodies() == null ? Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just((byte[]) null)),
                        Tuple.of(1, garbageBodies()))
                : Arbitraries.frequencyOf(Tuple.of(8, endpoint.bodies().map(ApiFuzz::utf8)), Tuple.of(2, garbageBodies()));
        Arbitrary<Map<String, String>> headers = headers();
        for (Map.Entry<String, Arbitrary<String>> extra : endpoint.extraHeaders().entrySet()) {
            Arbitrary<String> value = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just((String) null)),
                    Tuple.of(3, extra.getValue()));
            headers = Combinators.combine(headers, value).as((all, one) -> {
                Map<String, String> more = new LinkedHashMap<>(all);
                if (one != null) {
                    more.put(extra.getKey(), one);
                }
                return more;
            });
        }
        return Combinators.combine(pathValues, query, headers, body).as((values, parameterString, sentHeaders, bytes) -> {
            String path = endpoint.template();
            for (String value : values) {
                path = path.replaceFirst(VARIABLE.pattern(), Matcher.quoteReplacement(encodePath(value)));
            }
            return new Sent(endpoint, parameterString.isEmpty() ? path : path + "?" + parameterString, sentHeaders, bytes);
        });
    }

    /**
     * Sends the request and checks what must hold whatever was sent; {@code stores} reads the rows of the service's
     * stores (event store, views, keys) as one text, before and after.
     */
    public void send(int port, Sent drawn, Supplier<String> stores) {
        Sent sent = resolved(drawn);
        HttpRequest request;
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + sent.path()))
                    .timeout(Duration.ofSeconds(30))
                    .method(sent.endpoint().method(), sent.body() == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(sent.body()));
            String token = sent.endpoint().token().get();
            if (token != null) {
                builder.header("Authorization", "Bearer " + token);
            }
            sent.headers().forEach(builder::header);
            request = builder.build();
        } catch (IllegalArgumentException notSendable) {
            unsendable.incrementAndGet();
            Assume.that(false); // the client itself refuses such a header or URI: nothing reaches the service
            return;
        }
        String before = stores.get();
        HttpResponse<String> response = send(request);
        int status = response.statusCode();
        tries.incrementAndGet();
        synchronized (statuses) {
            statuses.merge(status, 1, Integer::sum);
        }
        String what = sent + " -> " + status + " " + abbreviated(response.body());

        assertThat(status).as(what).isLessThan(500);
        if (status >= 400) {
            boolean html = sent.endpoint().forBrowsers() && response.headers().firstValue("Content-Type").orElse("").startsWith("text/html");
            if (!html) {
                assertThat(response.headers().firstValue("Content-Type")).as(what)
                        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
                JsonNode problem = json(response.body());
                assertThat(problem.path("code").asText()).as(what).isNotBlank();
                assertThat(problem.path("status").asInt(status)).as("the problem's own status in " + what).isEqualTo(status);
                assertThat(problem.has("trace") || problem.has("exception")).as(what).isFalse();
            }
            String after = stores.get();
            if (!after.equals(before)) {
                changedByRejected.incrementAndGet();
            }
            assertThat(after).as("stores after " + what).isEqualTo(before);
        } else if (status < 300) {
            assertThat(sent.endpoint().allowed().test(sent, response)).as("a 2xx the rules do not allow: " + what).isTrue();
        }
    }

    private Sent resolved(Sent sent) {
        String path = sent.path();
        byte[] body = sent.body();
        for (Map.Entry<String, String> fixture : fixtures.entrySet()) {
            path = path.replace(fixture.getKey(), fixture.getValue());
            if (body != null && sent.text().contains(fixture.getKey())) {
                body = utf8(new String(body, StandardCharsets.UTF_8).replace(fixture.getKey(), fixture.getValue()));
            }
        }
        return new Sent(sent.endpoint(), path, sent.headers(), body);
    }

    /** "ApiFuzz service: tries=…, 2xx=…, 4xx={400=…}, 5xx=0, rows changed by rejected=0". */
    public void printFigures() {
        if (tries.get() + unsendable.get() == printedAt) {
            return; // jqwik may end the container twice
        }
        printedAt = tries.get() + unsendable.get();
        Map<Integer, Integer> counted;
        synchronized (statuses) {
            counted = new TreeMap<>(statuses);
        }
        int ok = counted.entrySet().stream().filter(e -> e.getKey() < 300).mapToInt(Map.Entry::getValue).sum();
        int failed = counted.entrySet().stream().filter(e -> e.getKey() >= 500).mapToInt(Map.Entry::getValue).sum();
        Map<Integer, Integer> refused = new TreeMap<>(counted);
        refused.keySet().removeIf(code -> code < 400 || code >= 500);
        System.out.printf("ApiFuzz %s: %d routes, tries=%d (and %d the client would not send), 2xx=%d, 3xx=%d, 4xx=%s, "
                        + "5xx=%d, rows changed by rejected=%d%n", service, endpoints.size(), tries.get(), unsendable.get(), ok,
                tries.get() - ok - refused.values().stream().mapToInt(Integer::intValue).sum() - failed, refused, failed,
                changedByRejected.get());
    }

    // --- values -------------------------------------------------------------------------------------------------

    /** A JSON object with some of the fields (and sometimes an unknown one), each with a value from {@code values}. */
    public static Arbitrary<String> objects(List<String> fields, Function<String, Arbitrary<String>> values) {
        List<Arbitrary<String>> members = new ArrayList<>();
        for (String field : fields) {
            members.add(Arbitraries.oneOf(Arbitraries.just(""), values.apply(field).map(value -> quote(field) + ":" + value)));
        }
        members.add(Arbitraries.oneOf(Arbitraries.just(""), Combinators.combine(Arbitraries.strings().ofMaxLength(20),
                jsonValue()).as((name, value) -> quote(name) + ":" + value)));
        return Combinators.combine(members).as(parts -> "{" + String.join(",", parts.stream().filter(p -> !p.isEmpty()).toList()) + "}");
    }

    /** Mostly {@code plausible}, sometimes any JSON value. */
    public static Arbitrary<String> mostly(Arbitrary<String> plausible) {
        return Arbitraries.frequencyOf(Tuple.of(3, plausible), Tuple.of(1, jsonValue()));
    }

    public static Arbitrary<String> jsonValue() {
        return Arbitraries.oneOf(jsonStrings(), numbers(),
                Arbitraries.of("true", "false", "null", "[]", "{}", "[1,\"a\",null]", "{\"a\":{\"b\":[]}}", "1e999", "-"),
                nested().map(text -> new String(text, StandardCharsets.UTF_8)));
    }

    /** Integers and decimals: negative, zero, enormous, and the ones Jackson reads only with care. */
    public static Arbitrary<String> numbers() {
        return Arbitraries.oneOf(Arbitraries.longs().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf).filter(d -> !d.contains("Infinity") && !d.contains("NaN")),
                Arbitraries.of("0", "-0", "-1", "2147483648", "-2147483649", "9223372036854775808", "99999999999999999999999",
                        "1e999", "-1e999", "1.5", "0.0000001", "1E+2", "4.9e-324"));
    }

    /** Any text, with some characters written as JSON escapes (lone surrogates and controls included). */
    public static Arbitrary<String> jsonStrings() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(60).map(ApiFuzz::quote),
                Arbitraries.strings().all().ofMinLength(60_000).ofMaxLength(70_000).map(ApiFuzz::quote),
                Arbitraries.integers().between(0, 0xFFFF).list().ofMaxSize(8)
                        .map(chars -> "\"" + String.join("", chars.stream().map(c -> String.format("\\u%04x", c)).toList()) + "\""));
    }

    /** Instants and dates: plausible, impossible, out of range, in zones that do not exist, as numbers. */
    public static Arbitrary<String> dates() {
        return Arbitraries.oneOf(
                Arbitraries.of("+999999999-12-31T23:59:00Z", "-999999999-01-01T00:00:00Z", "+100000-01-01T00:00:00Z",
                        "2030-02-30T10:00:00Z", "2030-13-01T10:00:00Z", "2030-01-01T24:00:00Z", "2030-01-01T10:00:00+25:00",
                        "2030-01-01T10:00:00[Mars/Olympus]", "2030-01-01T10:00:00+01:00[Europe/London]",
                        "2030-01-01T10:00:00", "2030-01-01", "10:00", "", "2030-01-01T10:00:00.123456789Z",
                        "1970-01-01T00:00:00Z", "0000-00-00T00:00:00Z").map(ApiFuzz::quote),
                Arbitraries.of("0", "-1", "1e300", "99999999999999999999", "1893456000", "-9223372036854775808"));
    }

    /**
     * The platform's erasure route as an ADMIN calls it: a random patient's (never a demo patient: an erasure of
     * nothing, which is allowed), with or without a basis and a reference, known and odd ones. Erased only on a known
     * basis, with a reference that is none or one of the allowed form (1 to 64 of letters, digits and . _ : / -).
     */
    public static Endpoint erasure(Supplier<String> admin) {
        return Endpoint.of("DELETE /api/patients/{patientId}/personal-data", admin)
                .paths(Arbitraries.oneOf(Arbitraries.create(() -> UUID.randomUUID().toString()),
                        Arbitraries.strings().ofMaxLength(40)))
                .parameters("basis", "reference")
                .parameterValues(name -> Arbitraries.oneOf(parameterValues(), name.equals("basis")
                        ? Arbitraries.of("DATA_SUBJECT_REQUEST", "RETENTION_PERIOD_ENDED", "LEGAL_OBLIGATION",
                                "data_subject_request", "DATA_SUBJECT_REQUEST,LEGAL_OBLIGATION")
                        : Arbitraries.of("DSR-2026-0042", "ticket/7:a_b.c", "-dash-first", "with space", "x".repeat(65),
                                "x".repeat(64), "Pat Example")))
                .allowing((sent, answer) -> sent.parameter("basis")
                        .filter(basis -> basis.matches("DATA_SUBJECT_REQUEST|RETENTION_PERIOD_ENDED|LEGAL_OBLIGATION"))
                        .isPresent()
                        && sent.parameter("reference").map(reference -> reference.matches("[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}"))
                        .orElse(true));
    }

    /** Path values: mostly UUIDs, some nothing like one. */
    public static Arbitrary<String> pathValues() {
        return Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.create(() -> UUID.randomUUID().toString())),
                Tuple.of(1, parameterValues()));
    }

    public static Arbitrary<String> parameterValues() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().withCharRange('0', '9').withChars('-', '+', ':', 'T', 'Z').ofMaxLength(30),
                Arbitraries.of("", "0", "-1", "2147483648", "99999999999999999999", "NaN", "1e9", "+999999999-12-31",
                        "-999999999-01-01", "2030-02-30", "2030-01-01", "true", "false", "me", "null", "../..", "%00",
                        "00000000-0000-0000-0000-000000000000", "x".repeat(5_000)),
                Arbitraries.create(() -> UUID.randomUUID().toString()),
                Arbitraries.longs().map(String::valueOf));
    }

    /** Idempotency-Key, Content-Type and Accept: each absent, garbage, or an odd but real value. */
    public static Arbitrary<Map<String, String>> headers() {
        Arbitrary<String> optional = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just((String) null)),
                Tuple.of(3, headerValues()));
        Arbitrary<String> contentType = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just("application/json")),
                Tuple.of(2, optional));
        return Combinators.combine(optional, contentType, optional).as((key, type, accept) -> {
            Map<String, String> headers = new LinkedHashMap<>();
            if (key != null) {
                headers.put("Idempotency-Key", key);
            }
            if (type != null) {
                headers.put("Content-Type", type);
            }
            if (accept != null) {
                headers.put("Accept", accept);
            }
            return headers;
        });
    }

    /** Garbage, odd but real media types, and Idempotency-Key-shaped values. */
    public static Arbitrary<String> headerValues() {
        return Arbitraries.oneOf(
                // Printable: the client refuses control characters in a header, so they never reach a service.
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(300),
                Arbitraries.strings().withCharRange('\u0020', '\u00ff').ofMaxLength(40),
                Arbitraries.of("application/json", "application/json; charset=ISO-8859-1", "application/json; charset=bogus",
                        "application/json;charset=UTF-16", "text/plain", "application/xml", "multipart/form-data",
                        "application/x-www-form-urlencoded", "*/*", "text/html", "application/*", "", " ",
                        "a".repeat(201), "application/problem+json", UUID.randomUUID().toString(),
                        // Accept headers: a browser's, a calendar's, a preferred charset not written before a wildcard,
                        // and more types than Spring sorts
                        ClientAccepts.CHROME, "text/calendar", "text/*", "application/json;charset=UTF-8",
                        "application/json;charset=ISO-8859-1, */*;q=0.1", "application/problem+json;charset=ISO-8859-1",
                        String.join(", ", Collections.nCopies(30, "application/json"))));
    }

    /** Bytes that are not valid UTF-8, text that is not JSON, deep nesting, a JSON value that is not an object. */
    public static Arbitrary<byte[]> garbageBodies() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(200),
                Arbitraries.of(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'},
                        new byte[] {'{', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', ':', '1', '}'},
                        new byte[] {(byte) 0xFE, (byte) 0xFF, 0, '{', 0, '}'}, new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80}),
                Arbitraries.strings().ofMaxLength(80).map(ApiFuzz::utf8),
                nested(),
                jsonValue().map(ApiFuzz::utf8));
    }

    /** Arrays or objects nested up to 2,000 deep. */
    public static Arbitrary<byte[]> nested() {
        return Arbitraries.integers().between(1, 2_000).flatMap(depth -> Arbitraries.of(
                "[".repeat(depth) + "]".repeat(depth), "{\"a\":".repeat(depth) + "1" + "}".repeat(depth)))
                .map(ApiFuzz::utf8);
    }

    public static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Percent-encoded for a path segment: a value may hold '/', '?' or '#', and then it is still one segment. */
    private static String encodePath(String value) {
        return encode(value).replace("+", "%20");
    }

    private static String abbreviated(String text) {
        return text.length() > 500 ? text.substring(0, 500) + "…" : text;
    }

    public static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + abbreviated(body), e);
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
