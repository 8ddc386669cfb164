package org.nhsv2.appointment.config;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The document's title; security, problem answers and their schema come from the platform. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

    @Bean
    OpenAPI appointmentApi() {
        return new OpenAPI().info(new Info().title("NHSv2 appointment service").version("v1")
                .description("Book, reschedule, cancel and complete appointments. Errors are RFC 9457 problem details."));
    }
}
