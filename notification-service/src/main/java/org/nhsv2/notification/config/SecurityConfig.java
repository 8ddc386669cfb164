package org.nhsv2.notification.config;

import org.nhsv2.platform.security.ApiSecurity;
import org.nhsv2.platform.security.ProblemSecurityHandlers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

import static org.nhsv2.platform.security.ApiSecurity.ADMIN;
import static org.nhsv2.platform.security.ApiSecurity.reads;

/**
 * The API's one route on Keycloak's tokens: the local mailbox, for operators only (it holds patients'
 * emails). Deny by default; the platform's chain adds the OpenAPI document. Email requests and erasures
 * arrive over RabbitMQ, not HTTP.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    @Bean
    @Order(2)
    SecurityFilterChain api(HttpSecurity http, ProblemSecurityHandlers problems) throws Exception {
        return ApiSecurity.chain(http, problems, routes -> reads(routes, url -> url.hasRole(ADMIN), "/api/mailbox"));
    }
}
