package org.nhsv2.appointment.config;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.nhsv2.appointment.api.Actor;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Map;

/** The OpenAPI description: bearer security, and the problem answers every operation can give. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

    private static final String BEARER = "keycloak-bearer";
    private static final String PROBLEM = "Problem";

    static {
        // The caller comes from the token, not from the request: not a parameter clients send.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Actor.class);
    }

    @Bean
    OpenAPI appointmentApi() {
        return new OpenAPI()
                .info(new Info().title("NHSv2 appointment service").version("v1")
                        .description("Book, reschedule, cancel and complete appointments. Errors are RFC 9457 problem details."))
                .components(new Components()
                        .addSecuritySchemes(BEARER, new SecurityScheme()
                                .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                                .description("Access token from Keycloak realm nhsv2"))
                        .addSchemas(PROBLEM, problemSchema()))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }

    @Bean
    OpenApiCustomizer problemResponses() {
        return openApi -> openApi.getPaths().forEach((path, item) -> {
            if (!path.startsWith("/api/")) {
                return;
            }
            item.readOperationsMap().forEach((method, operation) -> {
                problem(operation, "400", "Invalid input: malformed JSON, wrong types, unknown fields, rule-breaking values");
                problem(operation, "401", "No valid bearer token");
                problem(operation, "403", "The role or facility does not allow it");
                if (path.contains("{")) {
                    problem(operation, "404", "No such resource that the caller may see");
                }
                if (method == PathItem.HttpMethod.POST) {
                    problem(operation, "409", "Conflicts with the current state: slot taken, not booked, key reused");
                    problem(operation, "422", "Breaks a business rule");
                }
            });
        });
    }

    private static void problem(Operation operation, String status, String description) {
        operation.getResponses().addApiResponse(status, new ApiResponse().description(description)
                .content(new Content().addMediaType("application/problem+json",
                        new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)))));
    }

    @SuppressWarnings("rawtypes")
    private static Schema problemSchema() {
        Schema<?> fieldError = new ObjectSchema().properties(Map.of("field", new StringSchema(), "message", new StringSchema()));
        return new ObjectSchema().properties(Map.of(
                "type", new StringSchema().example("/problems/doctor-unavailable"),
                "title", new StringSchema(),
                "status", new IntegerSchema(),
                "detail", new StringSchema(),
                "instance", new StringSchema(),
                "code", new StringSchema().example("doctor-unavailable"),
                "errors", new ArraySchema().items(fieldError)));
    }
}
