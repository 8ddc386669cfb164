package org.nhsv2.payment.web;

import org.junit.jupiter.api.Test;
import org.nhsv2.payment.PaymentIntegrationTest;
import org.nhsv2.platform.testing.RoleRules;

import java.util.Map;
import java.util.Set;

import static java.util.Map.entry;

/**
 * Every path the service maps, with every HTTP method, as every kind of caller (see {@link RoleRules}).
 * Stripe's webhook and the sandbox's checkout page take no token, as Stripe's own page does not.
 */
class RoleRulesIT extends PaymentIntegrationTest {

    private static final Map<String, Set<String>> POLICY = Map.ofEntries(
            entry("POST /api/checkouts", Set.of("DOCTOR", "PATIENT")),
            entry("GET /api/transactions/{transactionId}", RoleRules.SIGNED_IN),
            entry("GET /api/transactions/{transactionId}/history", RoleRules.SIGNED_IN),
            entry("POST /api/transactions/{transactionId}/refunds", Set.of("DOCTOR", "ADMIN")),
            entry("GET /api/products", RoleRules.SIGNED_IN),
            entry("GET /api/products/{productId}", RoleRules.SIGNED_IN),
            entry("POST /api/products", Set.of("ADMIN")),
            entry("PATCH /api/products/{productId}", Set.of("ADMIN")),
            entry("GET /api/facilities/{facilityId}/transactions", Set.of("DOCTOR", "ADMIN")),
            entry("GET /api/patients/me/transactions", Set.of("PATIENT")),
            entry("DELETE /api/patients/{patientId}/personal-data", Set.of("ADMIN")),
            entry("POST /api/stripe/webhook", RoleRules.ANYONE),
            entry("GET /sandbox/checkout/{sessionId}", RoleRules.ANYONE),
            entry("POST /sandbox/checkout/{sessionId}/pay", RoleRules.ANYONE),
            entry("POST /sandbox/checkout/{sessionId}/decline", RoleRules.ANYONE),
            entry("POST /sandbox/checkout/{sessionId}/expire", RoleRules.ANYONE),
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
