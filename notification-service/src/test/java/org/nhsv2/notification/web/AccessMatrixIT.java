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
                                                                                      401, 401, 401, 401, 403, 403, 403, 403, 200));

        AccessMatrix.check("notification-service", port, context, TOKENS, table);
    }
}
