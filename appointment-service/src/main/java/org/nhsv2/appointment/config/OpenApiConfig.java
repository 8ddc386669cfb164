package org.nhsv2.appointment.config;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

    private static final String BEARER = "keycloak-bearer";

    @Bean
    OpenAPI appointmentApi() {
        return new OpenAPI()
                .info(new Info().title("NHSv2 appointment service").version("v1")
                        .description("Book, reschedule, cancel and complete appointments. Errors are RFC 9457 problem details."))
                .components(new Components().addSecuritySchemes(BEARER, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                        .description("Access token from Keycloak realm nhsv2")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }
}
