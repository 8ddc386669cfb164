package org.nhsv2.appointment;

import io.swagger.v3.oas.models.OpenAPI;
import org.junit.jupiter.api.Test;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.ClientAccepts;
import org.nhsv2.platform.testing.OpenApiDocuments;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document validates cleanly with a maintained parser (every {@code $ref} resolves, the
 * problem answers included), and groups operations under names a user reads.
 */
class OpenApiIT extends IntegrationTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void shouldValidateCleanlyAndResolveEveryProblemReference() {
        Api.Response document = Api.anonymous(port).get("/v3/api-docs");
        assertThat(document.status()).isEqualTo(200);

        OpenAPI api = OpenApiDocuments.validated(document.body().toString());

        assertThat(document.body().toString()).contains("#/components/schemas/Problem");
        assertThat(api.getPaths().get("/api/appointments").getPost().getResponses().get("409").getContent()
                .get("application/problem+json").getSchema().get$ref()).isEqualTo("#/components/schemas/Problem");
    }

    @Test
    void shouldGroupEveryOperationUnderAUserFacingName() {
        OpenAPI api = OpenApiDocuments.validated(Api.anonymous(port).get("/v3/api-docs").body().toString());

        assertThat(OpenApiDocuments.tags(api)).containsExactlyInAnyOrder("Appointments", "Doctors", "Facilities", "Patients");
    }

    /** Tools fetch the documents, browsers open the UI, and the UI fetches its configuration and the document. */
    @Test
    void shouldServeTheDocumentsAndTheUiToTheClientsThatAskForThem() throws Exception {
        List<String> toolsAndBrowsers = new ArrayList<>(ClientAccepts.TOOLS);
        toolsAndBrowsers.addAll(ClientAccepts.BROWSERS);
        toolsAndBrowsers.add("application/json, application/yaml");
        for (String accept : toolsAndBrowsers) {
            assertThat(get("/v3/api-docs", accept)).as(accept).satisfies(answer -> {
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(answer.body()).startsWith("{\"openapi\":");
            });
            assertThat(get("/v3/api-docs/swagger-config", accept)).as(accept).satisfies(answer -> {
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(answer.body()).contains("\"configUrl\":\"/v3/api-docs/swagger-config\"");
            });
        }
        for (String accept : List.of("", "*/*", "application/vnd.oai.openapi", ClientAccepts.CHROME)) {
            assertThat(get("/v3/api-docs.yaml", accept).statusCode()).as(accept).isEqualTo(200);
        }
        for (String accept : ClientAccepts.BROWSERS) {
            assertThat(get("/swagger-ui.html", accept).statusCode()).isEqualTo(302);
            HttpResponse<String> page = get("/swagger-ui/index.html", accept);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                    .startsWith("text/html"));
        }
    }

    /** springdoc's configuration is JSON, written in UTF-8 only: Spring called such an Accept its own failure, a 500. */
    @Test
    void shouldAnswer406ProblemWhenTheConfigurationIsAcceptedOnlyInACharsetItIsNotWrittenIn() throws Exception {
        for (String accept : List.of("application/json; charset=ISO-8859-1", "application/json;charset=ISO-8859-1, */*;q=0.1")) {
            HttpResponse<String> refused = get("/v3/api-docs/swagger-config", accept);

            assertThat(refused.statusCode()).as(accept).isEqualTo(406);
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                    .startsWith("application/problem+json"));
        }
    }

    private HttpResponse<String> get(String path, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (!accept.isEmpty()) {
            request.header("Accept", accept);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
