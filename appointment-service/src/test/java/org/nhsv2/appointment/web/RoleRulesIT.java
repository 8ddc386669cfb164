package org.nhsv2.appointment.web;

import org.junit.jupiter.api.Test;
import org.nhsv2.appointment.Api;
import org.nhsv2.appointment.DemoUsers;
import org.nhsv2.appointment.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every path the service maps, with every HTTP method, as every kind of caller: what the policy below
 * allows passes the role check, everything else is refused before a handler runs (deny by default).
 * The policy is written here independently of the security configuration, and a mapped path it does
 * not name fails the test: a new endpoint must be given its rule.
 */
class RoleRulesIT extends IntegrationTest {

    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE");
    private static final Set<String> ANYONE = Set.of("anonymous", "DOCTOR", "PATIENT", "ADMIN");
    private static final Set<String> SIGNED_IN = Set.of("DOCTOR", "PATIENT", "ADMIN");
    private static final Set<String> NOBODY = Set.of();

    /** Method and path pattern to the roles allowed; HEAD follows GET. */
    private static final Map<String, Set<String>> POLICY = Map.ofEntries(
            entry("POST /api/appointments", Set.of("DOCTOR")),
            entry("GET /api/appointments/{appointmentId}", SIGNED_IN),
            entry("GET /api/appointments/{appointmentId}/history", SIGNED_IN),
            entry("POST /api/appointments/{appointmentId}/reschedule", Set.of("DOCTOR")),
            entry("POST /api/appointments/{appointmentId}/cancel", Set.of("DOCTOR", "PATIENT")),
            entry("POST /api/appointments/{appointmentId}/fulfil", Set.of("DOCTOR")),
            entry("POST /api/appointments/{appointmentId}/no-show", Set.of("DOCTOR")),
            entry("GET /api/facilities", SIGNED_IN),
            entry("GET /api/facilities/{facilityId}/appointments", Set.of("DOCTOR", "ADMIN")),
            entry("GET /api/patients/me/appointments", Set.of("PATIENT")),
            entry("GET /api/patients/{patientId}/appointments", Set.of("DOCTOR", "ADMIN")),
            entry("DELETE /api/patients/{patientId}/personal-data", Set.of("ADMIN")),
            entry("GET /v3/api-docs", ANYONE),
            entry("GET /v3/api-docs.yaml", ANYONE),
            entry("GET /v3/api-docs/swagger-config", ANYONE),
            entry("GET /swagger-ui.html", ANYONE),
            entry("GET /error", NOBODY));

    /** Demo identities by role; bob works at another facility than alice. */
    private static final Map<String, List<String>> CALLERS = Map.of(
            "DOCTOR", List.of(DemoUsers.ALICE, DemoUsers.BOB),
            "PATIENT", List.of(DemoUsers.PAT_ONE),
            "ADMIN", List.of(DemoUsers.ADMIN));

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mappings;

    @Test
    void shouldApplyTheRoleRuleOfEveryMappedPathToEveryMethodAndCaller() {
        Set<String> paths = mappedPaths();
        assertThat(paths).as("mapped paths").contains("/api/appointments", "/api/patients/{patientId}/personal-data");
        Set<String> withoutRule = new TreeSet<>(paths);
        withoutRule.removeIf(path -> METHODS.stream().anyMatch(method -> POLICY.containsKey(method + " " + path)));
        assertThat(withoutRule).as("mapped paths the policy does not name").isEmpty();

        List<String> violations = new ArrayList<>();
        for (String path : paths) {
            String concrete = path.replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
            for (String role : List.of("anonymous", "DOCTOR", "PATIENT", "ADMIN")) {
                for (String user : role.equals("anonymous") ? List.of("") : CALLERS.get(role)) {
                    Api api = user.isEmpty() ? Api.anonymous(port) : as(user);
                    Map<String, Integer> statuses = new HashMap<>();
                    for (String method : METHODS) {
                        Api.Response response = api.send(method, concrete, method.equals("POST") ? Map.of() : null);
                        statuses.put(method, response.status());
                        String rule = (method.equals("HEAD") ? "GET" : method) + " " + path;
                        boolean allowed = POLICY.getOrDefault(rule, NOBODY).contains(role);
                        String what = method + " " + path + " as " + (user.isEmpty() ? "anonymous" : user);
                        check(violations, what, allowed, role, method, response);
                    }
                    if (!statuses.get("HEAD").equals(statuses.get("GET"))) {
                        violations.add("HEAD " + path + " as " + user + " answered " + statuses.get("HEAD")
                                + " where GET answered " + statuses.get("GET"));
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    private static void check(List<String> violations, String what, boolean allowed, String role, String method,
                              Api.Response response) {
        int status = response.status();
        // Tomcat refuses TRACE itself (400 or 405), before any filter or handler sees it.
        boolean refusedByContainer = method.equals("TRACE") && (status == 400 || status == 405);
        boolean roleRefused = status == 401 || refusedByContainer
                || (status == 403 && (response.body().isNull() || "forbidden".equals(response.text("code"))));
        if (allowed && (status == 401 || (status == 403 && "forbidden".equals(response.text("code"))))) {
            violations.add(what + ": refused with " + status + " though the policy allows it");
        } else if (!allowed && !roleRefused) {
            violations.add(what + ": answered " + status + " though the policy refuses it");
        } else if (!allowed && role.equals("anonymous") && status == 403) {
            violations.add(what + ": 403 for an anonymous caller, who should be asked to authenticate (401)");
        }
    }

    private Set<String> mappedPaths() {
        Set<String> paths = new TreeSet<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            paths.addAll(info.getPatternValues());
        }
        return paths;
    }
}
