package org.nhsv2.notification.web;

import org.junit.jupiter.api.Test;
import org.nhsv2.notification.NotificationIntegrationTest;
import org.nhsv2.platform.testing.AccessMatrix;
import org.nhsv2.platform.testing.AccessMatrix.Request;
import org.nhsv2.platform.testing.AccessMatrix.Row;
import org.nhsv2.platform.testing.RealmTokens;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.List;

import static org.nhsv2.platform.testing.AccessMatrix.row;

/**
 * Every endpoint against every kind of caller (see {@link AccessMatrix}). The mailbox holds patients' emails, so
 * only an admin reads it, pat.one's own included. The service trusts a test issuer here, which mints the expired and
 * misaddressed tokens Keycloak never hands out.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class AccessMatrixIT extends NotificationIntegrationTest {

    private static final RealmTokens TOKENS = RealmTokens.shared();

    @DynamicPropertySource
    static void issuer(DynamicPropertyRegistry registry) {
        TOKENS.trustedBy(registry);
    }

    @Test
    void shouldAnswerEveryEndpointAsTheTableSaysForEveryCaller() {
        List<Row> table = List.of(
                //                                                                     none exp iss aud  own oth docX docF admin
                row("GET /api/mailbox", c -> Request.to("/api/mailbox?recipient=pat.one@example.test"),
                                                                                      401, 401, 401, 401, 403, 403, 403, 403, 200),
                row("GET /v3/api-docs", c -> Request.to("/v3/api-docs"),              200, 401, 401, 401, 200, 200, 200, 200, 200),
                row("GET /v3/api-docs.yaml", c -> Request.to("/v3/api-docs.yaml"),    200, 401, 401, 401, 200, 200, 200, 200, 200),
                row("GET /v3/api-docs/swagger-config", c -> Request.to("/v3/api-docs/swagger-config"),
                                                                                      200, 401, 401, 401, 200, 200, 200, 200, 200),
                row("GET /swagger-ui.html", c -> Request.to("/swagger-ui.html"),      302, 401, 401, 401, 302, 302, 302, 302, 302),
                row("GET /error", c -> Request.to("/error"),                          401, 401, 401, 401, 403, 403, 403, 403, 403));

        AccessMatrix.check("notification-service", port, context, TOKENS, table);
    }
}
