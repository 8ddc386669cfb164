package org.nhsv2.appointment;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document validates cleanly with a maintained parser (every {@code $ref} resolves, the
 * problem answers included), and groups operations under names a user reads.
 */
class OpenApiIT extends IntegrationTest {

    @Test
    void shouldValidateCleanlyAndResolveEveryProblemReference() {
        Api.Response document = Api.anonymous(port).get("/v3/api-docs");
        assertThat(document.status()).isEqualTo(200);
        ParseOptions options = new ParseOptions();
        options.setResolve(true);

        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(document.body().toString(), null, options);

        assertThat(parsed.getMessages()).isEmpty();
        OpenAPI api = parsed.getOpenAPI();
        assertThat(api.getComponents().getSchemas()).containsKey("Problem");
        assertThat(document.body().toString()).contains("#/components/schemas/Problem");
        assertThat(api.getPaths().get("/api/appointments").getPost().getResponses().get("409").getContent()
                .get("application/problem+json").getSchema().get$ref()).isEqualTo("#/components/schemas/Problem");
    }

    @Test
    void shouldGroupEveryOperationUnderAUserFacingName() {
        OpenAPI api = new OpenAPIV3Parser().readContents(Api.anonymous(port).get("/v3/api-docs").body().toString())
                .getOpenAPI();
        Set<String> tags = new TreeSet<>();
        api.getPaths().values().forEach(path -> path.readOperations().stream().map(Operation::getTags)
                .forEach(operationTags -> {
                    assertThat(operationTags).as("every operation has a tag").isNotEmpty();
                    tags.addAll(operationTags);
                }));
        assertThat(tags).containsExactlyInAnyOrderElementsOf(List.of("Appointments", "Facilities", "Patients"));
    }
}
