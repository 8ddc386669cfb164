package org.nhsv2.notification.config;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The document's title; security, problem answers and their schema come from the platform. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

    @Bean
    OpenAPI notificationApi() {
        return new OpenAPI().info(new Info().title("NHSv2 notification service").version("v1")
                .description("Emails that other services request over RabbitMQ, sent once through SendGrid. Without a"
                        + " SendGrid key they are kept in a local mailbox instead, which operators read here. Errors"
                        + " are RFC 9457 problem details."));
    }
}
