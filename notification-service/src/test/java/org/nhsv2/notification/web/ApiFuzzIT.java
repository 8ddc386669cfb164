package org.nhsv2.notification.web;

import com.fasterxml.jackson.databind.JsonNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.spring.JqwikSpringSupport;
import org.nhsv2.notification.NotificationIntegrationTest;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.ApiFuzz;
import org.nhsv2.platform.testing.ApiFuzz.Endpoint;
import org.nhsv2.platform.testing.ApiFuzz.Sent;
import org.nhsv2.platform.testing.DemoUsers;

import java.net.http.HttpResponse;
import java.util.List;

/**
 * Random and extreme values in every endpoint's path, query, headers and body (see {@link ApiFuzz}): never a 5xx, every
 * refusal a problem document that changes no store, and a 2xx mailbox page holds at most {@code limit} emails, all
 * for the recipient asked about.
 */
@JqwikSpringSupport
class ApiFuzzIT extends NotificationIntegrationTest {

    private static final String STORES = """
            select (select count(*) from mailbox) || '/' || (select count(*) from handled_request)
                || '/' || (select count(*) from patient_erasure)""";

    private static ApiFuzz fuzz;

    private void prepare() {
        if (fuzz == null) {
            String admin = Api.tokenOf(DemoUsers.ADMIN);
            fuzz = new ApiFuzz("notification-service", List.of(
                    Endpoint.of("GET /api/mailbox", () -> admin).parameters("recipient", "limit")
                            .parameterValues(name -> Arbitraries.oneOf(ApiFuzz.parameterValues(), name.equals("limit")
                                    ? Arbitraries.of("1", "20", "100", "101", "0") : Arbitraries.of("pat.one@example.test",
                                    " PAT.ONE@example.test ", "a".repeat(255), "%", "_", "' or 1=1 --")))
                            .allowing(ApiFuzzIT::allowedPage),
                    Endpoint.of("GET /v3/api-docs", () -> null),
                    Endpoint.of("GET /v3/api-docs.yaml", () -> null),
                    Endpoint.of("GET /v3/api-docs/swagger-config", () -> null),
                    Endpoint.of("GET /swagger-ui.html", () -> null),
                    Endpoint.of("GET /error", () -> admin)));
        }
    }

    @Example
    void shouldCoverEveryRouteTheServiceMaps() {
        prepare();
        fuzz.assertCovers(context);
    }

    @Property(tries = 200)
    void shouldAnswerEveryEndpointWithinItsRules(@ForAll("requests") Sent request) {
        fuzz.send(port, request, () -> jdbc.sql(STORES).query(String.class).single());
    }

    @Provide
    Arbitrary<Sent> requests() {
        prepare();
        return fuzz.requests();
    }

    @AfterContainer
    static void figures() {
        if (fuzz != null) {
            fuzz.printFigures();
        }
    }

    /** At most the limit (1..100, 20 if not given), each email for the recipient asked about. */
    private static boolean allowedPage(Sent sent, HttpResponse<String> answer) {
        JsonNode page = ApiFuzz.json(answer.body());
        String recipient = page.path("recipient").asText();
        int limit = sent.path().matches(".*[?&]limit=\\d{1,3}(&.*)?$")
                ? Integer.parseInt(sent.path().replaceAll(".*[?&]limit=(\\d{1,3})(&.*)?$", "$1")) : 20;
        return limit >= 1 && limit <= 100 && page.path("emails").size() <= limit && !recipient.isBlank()
                && page.path("emails").findValues("recipient").stream().allMatch(to -> to.asText().equalsIgnoreCase(recipient));
    }
}
