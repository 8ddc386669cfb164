package org.nhsv2.payment;

import io.swagger.v3.oas.models.OpenAPI;
import org.junit.jupiter.api.Test;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.OpenApiDocuments;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document validates cleanly (problem answers included) and groups operations for users. */
class OpenApiIT extends PaymentIntegrationTest {

    @Test
    void shouldValidateCleanlyAndDocumentTheProblemAnswers() {
        Api.Response document = Api.anonymous(port).get("/v3/api-docs");
        assertThat(document.status()).isEqualTo(200);

        OpenAPI api = OpenApiDocuments.validated(document.body().toString());

        assertThat(api.getPaths().get("/api/checkouts").getPost().getResponses().get("422").getContent()
                .get("application/problem+json").getSchema().get$ref()).isEqualTo("#/components/schemas/Problem");
        assertThat(api.getPaths()).doesNotContainKey("/sandbox/checkout/{sessionId}");
        assertThat(api.getPaths().get("/api/stripe/webhook").getPost().getSecurity()).isEmpty();
    }

    @Test
    void shouldGroupEveryOperationUnderAUserFacingName() {
        OpenAPI api = OpenApiDocuments.validated(Api.anonymous(port).get("/v3/api-docs").body().toString());

        assertThat(OpenApiDocuments.tags(api))
                .containsExactlyInAnyOrder("Payments", "Products", "Facilities", "Patients", "Stripe webhooks");
    }
}
