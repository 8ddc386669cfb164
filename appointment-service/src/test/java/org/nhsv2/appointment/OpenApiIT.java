package org.nhsv2.appointment;

import io.swagger.v3.oas.models.OpenAPI;
import org.junit.jupiter.api.Test;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.OpenApiDocuments;

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
}
