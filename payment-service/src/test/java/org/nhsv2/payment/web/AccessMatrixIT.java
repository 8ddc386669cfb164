package org.nhsv2.payment.web;

import org.junit.jupiter.api.Test;
import org.nhsv2.payment.PaymentIntegrationTest;
import org.nhsv2.platform.testing.AccessMatrix;
import org.nhsv2.platform.testing.AccessMatrix.Request;
import org.nhsv2.platform.testing.AccessMatrix.Row;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.DemoUsers;
import org.nhsv2.platform.testing.RealmTokens;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.nhsv2.platform.testing.AccessMatrix.Caller.ADMIN;
import static org.nhsv2.platform.testing.AccessMatrix.Caller.FACILITY_DOCTOR;
import static org.nhsv2.platform.testing.AccessMatrix.Caller.OWN_PATIENT;
import static org.nhsv2.platform.testing.AccessMatrix.row;
import static org.nhsv2.platform.testing.DemoUsers.RIVERSIDE;

/**
 * Every endpoint against every kind of caller (see {@link AccessMatrix}), on transactions of pat.one at Riverside
 * opened by alice.doctor; a refund gets a freshly paid one. The service trusts a test issuer here, which mints the
 * expired and misaddressed tokens Keycloak never hands out. Stripe's webhook and the sandbox's pages take no token,
 * but a bad one is still refused.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class AccessMatrixIT extends PaymentIntegrationTest {

    private static final RealmTokens TOKENS = RealmTokens.shared();

    @DynamicPropertySource
    static void issuer(DynamicPropertyRegistry registry) {
        TOKENS.trustedBy(registry);
    }

    /** The base's helpers (open, pay, await) as the demo users, with this issuer's tokens. */
    @Override
    protected Api as(String username) {
        return Api.withToken(port, TOKENS.of(username));
    }

    @Test
    void shouldAnswerEveryEndpointAsTheTableSaysForEveryCaller() {
        UUID transaction = idOf(openCheckout());
        UUID product = createdProduct();
        String session = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        Map<String, Object> refund = Map.of("amount", 100, "reason", "Access check");

        List<Row> table = List.of(
                //                                                                     none exp iss aud  own oth docX docF admin
                row("POST /api/checkouts", c -> Request.to("/api/checkouts").with(checkout()),
                                                                                      401, 401, 401, 401, 201, 403, 403, 201, 403),
                row("GET /api/transactions/{transactionId}", c -> about(transaction, ""),
                                                                                      401, 401, 401, 401, 200, 404, 403, 200, 200)
                        .seenBy(OWN_PATIENT, FACILITY_DOCTOR, ADMIN),
                row("GET /api/transactions/{transactionId}/history", c -> about(transaction, "/history"),
                                                                                      401, 401, 401, 401, 200, 404, 403, 200, 200)
                        .seenBy(OWN_PATIENT, FACILITY_DOCTOR, ADMIN),
                row("POST /api/transactions/{transactionId}/refunds", c -> about(paidCheckout(), "/refunds").with(refund),
                                                                                      401, 401, 401, 401, 403, 403, 403, 201, 201),
                row("GET /api/products", c -> Request.to("/api/products"),            401, 401, 401, 401, 200, 200, 200, 200, 200),
                row("GET /api/products/{productId}", c -> Request.to("/api/products/" + CONSULTATION_GBP),
                                                                                      401, 401, 401, 401, 200, 200, 200, 200, 200),
                row("POST /api/products", c -> Request.to("/api/products").with(newProduct()),
                                                                                      401, 401, 401, 401, 403, 403, 403, 403, 201),
                row("PATCH /api/products/{productId}", c -> Request.to("/api/products/" + product)
                        .with(Map.of("active", false, "reason", "Withdrawn")),        401, 401, 401, 401, 403, 403, 403, 403, 200),
                row("GET /api/facilities/{facilityId}/transactions",
                        c -> Request.to("/api/facilities/" + RIVERSIDE + "/transactions").about(transaction),
                                                                                      401, 401, 401, 401, 403, 403, 403, 200, 200)
                        .seenBy(FACILITY_DOCTOR, ADMIN),
                row("GET /api/patients/me/transactions", c -> Request.to("/api/patients/me/transactions").about(transaction),
                                                                                      401, 401, 401, 401, 200, 200, 403, 403, 403)
                        .seenBy(OWN_PATIENT),
                row("DELETE /api/patients/{patientId}/personal-data",
                        c -> Request.to("/api/patients/" + UUID.randomUUID() + "/personal-data?basis=DATA_SUBJECT_REQUEST"),
                                                                                      401, 401, 401, 401, 403, 403, 403, 403, 200),
                row("POST /api/stripe/webhook", c -> Request.to("/api/stripe/webhook").with(Map.of()),
                                                                                      400, 401, 401, 401, 400, 400, 400, 400, 400),
                row("GET /sandbox/checkout/{sessionId}", c -> Request.to("/sandbox/checkout/" + session),
                                                                                      404, 401, 401, 401, 404, 404, 404, 404, 404),
                row("POST /sandbox/checkout/{sessionId}/pay", c -> Request.to("/sandbox/checkout/" + session + "/pay"),
                                                                                      404, 401, 401, 401, 404, 404, 404, 404, 404),
                row("POST /sandbox/checkout/{sessionId}/decline", c -> Request.to("/sandbox/checkout/" + session + "/decline"),
                                                                                      404, 401, 401, 401, 404, 404, 404, 404, 404),
                row("POST /sandbox/checkout/{sessionId}/expire", c -> Request.to("/sandbox/checkout/" + session + "/expire"),
                                                                                      404, 401, 401, 401, 404, 404, 404, 404, 404));

        AccessMatrix.check("payment-service", port, context, TOKENS, table);
    }

    private static Request about(UUID transactionId, String suffix) {
        return Request.to("/api/transactions/" + transactionId + suffix).about(transactionId);
    }

    private UUID createdProduct() {
        Api.Response created = as(DemoUsers.ADMIN).post("/api/products", newProduct());
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        return UUID.fromString(created.text("productId"));
    }

    private static Map<String, Object> newProduct() {
        return Map.of("name", "Access check " + UUID.randomUUID(), "unitAmount", 250, "currency", "GBP");
    }
}
