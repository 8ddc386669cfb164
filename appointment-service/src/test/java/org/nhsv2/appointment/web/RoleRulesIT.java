package org.nhsv2.appointment.web;

import org.junit.jupiter.api.Test;
import org.nhsv2.appointment.IntegrationTest;
import org.nhsv2.platform.testing.RoleRules;

import java.util.Map;
import java.util.Set;

import static java.util.Map.entry;

/**
 * Every path the service maps, with every HTTP method, as every kind of caller: what the policy below
 * allows passes the role check, everything else is refused before a handler runs (deny by default).
 * The policy is written here independently of the security configuration, and a mapped path it does
 * not name fails the test: a new endpoint must be given its rule.
 */
class RoleRulesIT extends IntegrationTest {

    /** Method and path pattern to the roles allowed; HEAD follows GET. */
    private static final Map<String, Set<String>> POLICY = Map.ofEntries(
            entry("POST /api/appointments", Set.of("DOCTOR")),
            entry("GET /api/appointments/{appointmentId}", RoleRules.SIGNED_IN),
            entry("GET /api/appointments/{appointmentId}/history", RoleRules.SIGNED_IN),
            entry("POST /api/appointments/{appointmentId}/reschedule", Set.of("DOCTOR")),
            entry("POST /api/appointments/{appointmentId}/cancel", Set.of("DOCTOR", "PATIENT")),
            entry("POST /api/appointments/{appointmentId}/fulfil", Set.of("DOCTOR")),
            entry("POST /api/appointments/{appointmentId}/no-show", Set.of("DOCTOR")),
            entry("GET /api/facilities", RoleRules.SIGNED_IN),
            entry("GET /api/facilities/{facilityId}/appointments", Set.of("DOCTOR", "ADMIN")),
            entry("GET /api/patients/me/appointments", Set.of("PATIENT")),
            entry("GET /api/patients/{patientId}/appointments", Set.of("DOCTOR", "ADMIN")),
            entry("GET /api/doctors/{doctorId}/calendar.ics", Set.of("DOCTOR", "ADMIN")),
            entry("DELETE /api/patients/{patientId}/personal-data", Set.of("ADMIN")),
            entry("GET /v3/api-docs", RoleRules.ANYONE),
            entry("GET /v3/api-docs.yaml", RoleRules.ANYONE),
            entry("GET /v3/api-docs/swagger-config", RoleRules.ANYONE),
            entry("GET /swagger-ui.html", RoleRules.ANYONE),
            entry("GET /error", RoleRules.NOBODY));

    @Test
    void shouldApplyTheRoleRuleOfEveryMappedPathToEveryMethodAndCaller() {
        RoleRules.check(port, context, POLICY);
    }
}
