package org.nhsv2.notification.web;

import org.junit.jupiter.api.Test;
import org.nhsv2.notification.NotificationIntegrationTest;
import org.nhsv2.platform.testing.RoleRules;

import java.util.Map;
import java.util.Set;

import static java.util.Map.entry;

/** Every path the service maps, with every HTTP method, as every kind of caller (see {@link RoleRules}). */
class RoleRulesIT extends NotificationIntegrationTest {

    private static final Map<String, Set<String>> POLICY = Map.ofEntries(
            entry("GET /api/mailbox", Set.of("ADMIN")),
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
