package org.nhsv2.payment.config;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The document's title; security, problem answers and their schema come from the platform. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

    @Bean
    OpenAPI paymentApi() {
        return new OpenAPI().info(new Info().title("NHSv2 payment service").version("v1")
                .description("Stripe Checkout payments from the clinic's catalogue, refunds and their history. Amounts are"
                        + " in minor units (pence, cents). Errors are RFC 9457 problem details."));
    }
}
