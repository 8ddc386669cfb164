package org.nhsv2.platform.openapi;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.nhsv2.platform.api.Actor;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every service's OpenAPI document describes its bearer security and the problem answers every
 * operation can give, with the {@code Problem} schema they reference defined alongside. The service
 * gives the document its title and groups its operations with {@code @Tag}s.
 */
@AutoConfiguration
@ConditionalOnClass(OpenApiCustomizer.class)
public class OpenApiAutoConfiguration {

    static final String BEARER = "keycloak-bearer";
    static final String PROBLEM = "Problem";

    static {
        // The caller comes from the token, not from the request: not a parameter clients send.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Actor.class);
    }

    /**
     * Runs on the finished document: the schema is added here, with the answers that reference it, so
     * that springdoc's pruning of unreferenced schemas cannot drop it.
     */
    @Bean
    OpenApiCustomizer platformProblemAnswers() {
        return openApi -> {
            if (openApi.getComponents() == null) {
                openApi.setComponents(new Components());
            }
            openApi.getComponents()
                    .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                            .bearerFormat("JWT").description("Access token from Keycloak realm nhsv2"))
                    .addSchemas(PROBLEM, problemSchema());
            if (openApi.getSecurity() == null || openApi.getSecurity().isEmpty()) {
                openApi.addSecurityItem(new SecurityRequirement().addList(BEARER));
            }
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().forEach((path, item) -> {
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
                    if (method == PathItem.HttpMethod.POST || method == PathItem.HttpMethod.PATCH) {
                        problem(operation, "409", "Conflicts with the current state");
                        problem(operation, "413", "The request body is larger than 64 KiB");
                        problem(operation, "415", "The body is not sent as application/json");
                        problem(operation, "422", "Breaks a business rule");
                    }
                    problem(operation, "503", "A system this service depends on is not answering; retry shortly");
                });
            });
        };
    }

    private static void problem(Operation operation, String status, String description) {
        if (operation.getResponses().containsKey(status)) {
            return;
        }
        operation.getResponses().addApiResponse(status, new ApiResponse().description(description)
                .content(new Content().addMediaType("application/problem+json",
                        new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)))));
    }

    @SuppressWarnings("rawtypes")
    private static Schema problemSchema() {
        Map<String, Schema> fieldError = new LinkedHashMap<>();
        fieldError.put("field", new StringSchema());
        fieldError.put("message", new StringSchema());
        Map<String, Schema> properties = new LinkedHashMap<>();
        properties.put("type", new StringSchema().example("/problems/doctor-unavailable"));
        properties.put("title", new StringSchema());
        properties.put("status", new IntegerSchema());
        properties.put("detail", new StringSchema());
        properties.put("instance", new StringSchema());
        properties.put("code", new StringSchema().example("doctor-unavailable"));
        properties.put("errors", new ArraySchema().items(new ObjectSchema().properties(fieldError)));
        return new ObjectSchema().description("RFC 9457 problem details, with a stable code").properties(properties);
    }
}
