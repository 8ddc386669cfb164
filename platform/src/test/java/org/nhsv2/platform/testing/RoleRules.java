package org.nhsv2.platform.testing;

import org.springframework.context.ApplicationContext;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks a service's role rules from outside: every path it maps, with every HTTP method, as every
 * kind of caller. What the policy allows must pass the role check; everything else must be refused
 * before a handler runs (deny by default), with 401 for an anonymous caller. A policy is written in
 * each service's test, independently of its security configuration, as "METHOD /path/{var}" to the
 * roles allowed ("anonymous", "DOCTOR", "PATIENT", "ADMIN"); HEAD follows GET.
 */
public final class RoleRules {

    public static final Set<String> ANYONE = Set.of("anonymous", "DOCTOR", "PATIENT", "ADMIN");
    public static final Set<String> SIGNED_IN = Set.of("DOCTOR", "PATIENT", "ADMIN");
    public static final Set<String> NOBODY = Set.of();
    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE");
    /** Demo identities by role; bob works at another facility than alice. */
    private static final Map<String, List<String>> CALLERS = Map.of(
            "DOCTOR", List.of(DemoUsers.ALICE, DemoUsers.BOB),
            "PATIENT", List.of(DemoUsers.PAT_ONE),
            "ADMIN", List.of(DemoUsers.ADMIN));

    private RoleRules() {
    }

    /** Fails naming every mapped path the policy has no rule for, and every answer that breaks it. */
    public static void check(int port, ApplicationContext service, Map<String, Set<String>> policy) {
        RequestMappingHandlerMapping mappings = service.getBean("requestMappingHandlerMapping",
                RequestMappingHandlerMapping.class);
        Set<String> paths = new TreeSet<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            paths.addAll(info.getPatternValues());
        }
        assertThat(paths).as("mapped paths").isNotEmpty();
        Set<String> withoutRule = new TreeSet<>(paths);
        withoutRule.removeIf(path -> METHODS.stream().anyMatch(method -> policy.containsKey(method + " " + path)));
        assertThat(withoutRule).as("mapped paths the policy does not name").isEmpty();
        assertThat(violations(port, paths, policy)).isEmpty();
    }

    private static List<String> violations(int port, Set<String> paths, Map<String, Set<String>> policy) {
        List<String> violations = new ArrayList<>();
        for (String path : paths) {
            String concrete = path.replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
            for (String role : List.of("anonymous", "DOCTOR", "PATIENT", "ADMIN")) {
                for (String user : role.equals("anonymous") ? List.of("") : CALLERS.get(role)) {
                    Api api = user.isEmpty() ? Api.anonymous(port) : Api.as(port, user);
                    Map<String, Integer> statuses = new HashMap<>();
                    for (String method : METHODS) {
                        Api.Response response = api.send(method, concrete, method.equals("POST") ? Map.of() : null);
                        statuses.put(method, response.status());
                        String rule = (method.equals("HEAD") ? "GET" : method) + " " + path;
                        boolean allowed = policy.getOrDefault(rule, NOBODY).contains(role);
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
        return violations;
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
}
