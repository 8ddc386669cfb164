package org.nhsv2.notification;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import org.junit.jupiter.api.Test;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.OpenApiDocuments;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document validates cleanly (problem answers included) and groups operations for users. */
class OpenApiIT extends NotificationIntegrationTest {

    @Test
    void shouldValidateCleanlyAndDocumentTheProblemAnswers() {
        Api.Response document = Api.anonymous(port).get("/v3/api-docs");
        assertThat(document.status()).isEqualTo(200);

        OpenAPI api = OpenApiDocuments.validated(document.body().toString());

        assertThat(api.getPaths()).containsOnlyKeys("/api/mailbox");
        Operation mailbox = api.getPaths().get("/api/mailbox").getGet();
        assertThat(mailbox.getResponses()).containsKeys("200", "400", "401", "403", "404", "503");
        assertThat(mailbox.getResponses().get("404").getContent().get("application/problem+json").getSchema().get$ref())
                .isEqualTo("#/components/schemas/Problem");
        assertThat(mailbox.getParameters()).extracting(parameter -> parameter.getName() + ":" + parameter.getRequired())
                .containsExactlyInAnyOrder("recipient:true", "limit:false");
    }

    @Test
    void shouldGroupEveryOperationUnderAUserFacingName() {
        OpenAPI api = OpenApiDocuments.validated(Api.anonymous(port).get("/v3/api-docs").body().toString());

        assertThat(OpenApiDocuments.tags(api)).containsExactly("Mailbox");
    }
}
