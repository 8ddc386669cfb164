package org.nhsv2.platform.testing;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.context.ApplicationContext;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint of a service against every kind of caller, from one table in the service's test: the status each
 * must get, and who may see the resource in a 2xx answer. A 404 about a resource is compared with the answer for an
 * id that does not exist (same status and the same body but for the id), so an id never leaks through 403 against
 * 404. A mapped route the table does not name, or a row naming no mapped route, fails the test. Tokens come from a
 * {@link TestIssuer} the service trusts ({@link RealmTokens}), as Keycloak hands out no expired or misaddressed ones.
 * The platform's own routes ({@link #platformRows}) are added to every service's table.
 */
public final class AccessMatrix {

    /** The columns of a table, in this order. The bad tokens carry every role, so only the token check stops them. */
    public enum Caller {
        NO_TOKEN, EXPIRED, OTHER_ISSUER, WRONG_AUDIENCE,
        /** pat.one, whose resource the row is about. */
        OWN_PATIENT,
        /** pat.two. */
        OTHER_PATIENT,
        /** bob.doctor, of Northgate. */
        OTHER_FACILITY_DOCTOR,
        /** alice.doctor, of Riverside, where the row's resource is. */
        FACILITY_DOCTOR,
        ADMIN
    }

    /** What a cell sends: the concrete path, a JSON body or null, and the id the answer is about (or null). */
    public record Request(String path, Object body, String resourceId) {
        public static Request to(String path) {
            return new Request(path, null, null);
        }

        public Request with(Object json) {
            return new Request(path, json, resourceId);
        }

        public Request about(Object id) {
            return new Request(path, body, id.toString());
        }
    }

    /** Makes what a cell needs (a fresh resource where the call may change it) and the request to send. */
    @FunctionalInterface
    public interface Fixture {
        Request prepare(Caller caller);
    }

    /** A route ("METHOD /path/{var}" as mapped), its fixture, the status per caller, and who sees its resource. */
    public record Row(String route, Fixture fixture, int[] expected, Set<Caller> seenBy) {
        public Row {
            if (expected.length != Caller.values().length) {
                throw new IllegalArgumentException(route + ": one status per caller, " + Caller.values().length);
            }
        }

        /** In a 2xx answer only these callers see the resource's id; others get answers without it. */
        public Row seenBy(Caller first, Caller... rest) {
            return new Row(route, fixture, expected, EnumSet.of(first, rest));
        }
    }

    public static Row row(String route, Fixture fixture, int... expected) {
        return new Row(route, fixture, expected, null);
    }

    /**
     * The routes every service maps through the platform: the OpenAPI document and its UI, public (a bad token is
     * still refused), and the container's error page, which nobody may ask for directly.
     */
    public static List<Row> platformRows() {
        return List.of(
                //                                                                     none exp iss aud  own oth docX docF admin
                row("GET /v3/api-docs", c -> Request.to("/v3/api-docs"),              200, 401, 401, 401, 200, 200, 200, 200, 200),
                row("GET /v3/api-docs.yaml", c -> Request.to("/v3/api-docs.yaml"),    200, 401, 401, 401, 200, 200, 200, 200, 200),
                row("GET /v3/api-docs/swagger-config", c -> Request.to("/v3/api-docs/swagger-config"),
                                                                                      200, 401, 401, 401, 200, 200, 200, 200, 200),
                row("GET /swagger-ui.html", c -> Request.to("/swagger-ui.html"),      302, 401, 401, 401, 302, 302, 302, 302, 302),
                row("GET /error", c -> Request.to("/error"),                          401, 401, 401, 401, 403, 403, 403, 403, 403));
    }

    private final int port;
    private final RealmTokens tokens;
    private final List<String> mismatches = new ArrayList<>();
    private int cells;
    private int unknownIdComparisons;
    private int visibilityChecks;

    private AccessMatrix(int port, RealmTokens tokens) {
        this.port = port;
        this.tokens = tokens;
    }

    /** Checks every cell, prints the figures, and fails naming each mismatch and each route the table misses. */
    public static void check(String service, int port, ApplicationContext context, RealmTokens tokens, List<Row> serviceRows) {
        AccessMatrix matrix = new AccessMatrix(port, tokens);
        List<Row> table = new ArrayList<>(serviceRows);
        table.addAll(platformRows());
        Set<String> mapped = mappedRoutes(context);
        Set<String> named = new TreeSet<>();
        for (Row row : table) {
            named.add(row.route());
            for (Caller caller : Caller.values()) {
                matrix.check(row, caller);
            }
        }
        Set<String> missing = new TreeSet<>(mapped);
        missing.removeAll(named);
        Set<String> stale = new TreeSet<>(named);
        stale.removeAll(mapped);
        System.out.printf("AccessMatrix %s: %d routes x %d callers = %d cells checked, %d visibility checks, "
                        + "%d compared with an unknown id, mismatches=%d, routes not in the table=%d%n", service, table.size(),
                Caller.values().length, matrix.cells, matrix.visibilityChecks, matrix.unknownIdComparisons,
                matrix.mismatches.size(), missing.size());
        assertThat(missing).as("mapped routes the table does not name").isEmpty();
        assertThat(stale).as("rows naming no mapped route").isEmpty();
        assertThat(matrix.mismatches).as("cells answered otherwise than the table says").isEmpty();
    }

    /** "METHOD /path/{var}" for every handler method the service maps ("GET" for one mapped without a method). */
    public static Set<String> mappedRoutes(ApplicationContext context) {
        RequestMappingHandlerMapping mappings = context.getBean("requestMappingHandlerMapping",
                RequestMappingHandlerMapping.class);
        Set<String> routes = new TreeSet<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            Set<String> methods = new TreeSet<>();
            info.getMethodsCondition().getMethods().forEach(method -> methods.add(method.name()));
            if (methods.isEmpty()) {
                methods.add("GET");
            }
            for (String method : methods) {
                for (String path : info.getPatternValues()) {
                    routes.add(method + " " + path);
                }
            }
        }
        return routes;
    }

    private void check(Row row, Caller caller) {
        cells++;
        String method = row.route().substring(0, row.route().indexOf(' '));
        Request request = row.fixture().prepare(caller);
        int expected = row.expected()[caller.ordinal()];
        Api api = Api.withToken(port, tokenOf(caller));
        Api.Response answer = api.send(method, request.path(), request.body());
        String cell = row.route() + " as " + caller;
        if (answer.status() != expected) {
            mismatches.add(cell + ": expected " + expected + ", got " + answer.status() + " " + answer.body());
            return;
        }
        boolean api4xx = answer.status() >= 400 && (request.path().startsWith("/api/") || answer.status() < 404);
        if (api4xx && !answer.header("Content-Type").orElse("").startsWith("application/problem+json")) {
            mismatches.add(cell + ": " + answer.status() + " as " + answer.header("Content-Type").orElse("no content type")
                    + ", not a problem document");
        }
        if (answer.status() < 300 && row.seenBy() != null && request.resourceId() != null) {
            visibilityChecks++;
            boolean seen = answer.body().toString().contains(request.resourceId());
            if (seen != row.seenBy().contains(caller)) {
                mismatches.add(cell + ": the answer " + (seen ? "shows" : "does not show") + " " + request.resourceId());
            }
        }
        if (answer.status() == 404 && request.resourceId() != null && request.path().contains(request.resourceId())) {
            compareWithUnknownId(cell, method, request, api, answer);
        }
    }

    /** The answer about a resource the caller may not see must be the answer about one that does not exist. */
    private void compareWithUnknownId(String cell, String method, Request request, Api api, Api.Response answer) {
        unknownIdComparisons++;
        String unknown = UUID.randomUUID().toString();
        Api.Response absent = api.send(method, request.path().replace(request.resourceId(), unknown), request.body());
        String shown = masked(answer.body(), request.resourceId());
        String none = masked(absent.body(), unknown);
        if (absent.status() != answer.status() || !shown.equals(none)
                || !answer.header("Content-Type").equals(absent.header("Content-Type"))) {
            mismatches.add(cell + ": tells the resource from an unknown one: " + answer.status() + " " + shown
                    + " against " + absent.status() + " " + none);
        }
    }

    private static String masked(JsonNode body, String id) {
        return body.toString().replace(id, "{id}");
    }

    private String tokenOf(Caller caller) {
        return switch (caller) {
            case NO_TOKEN -> null;
            case EXPIRED -> tokens.expired();
            case OTHER_ISSUER -> tokens.fromAnotherIssuer();
            case WRONG_AUDIENCE -> tokens.forAnotherAudience();
            case OWN_PATIENT -> tokens.of(DemoUsers.PAT_ONE);
            case OTHER_PATIENT -> tokens.of(DemoUsers.PAT_TWO);
            case OTHER_FACILITY_DOCTOR -> tokens.of(DemoUsers.BOB);
            case FACILITY_DOCTOR -> tokens.of(DemoUsers.ALICE);
            case ADMIN -> tokens.of(DemoUsers.ADMIN);
        };
    }
}
