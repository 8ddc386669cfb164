package org.nhsv2.payment.config;

import org.nhsv2.platform.security.ApiSecurity;
import org.nhsv2.platform.security.ProblemSecurityHandlers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

import static org.nhsv2.platform.security.ApiSecurity.ADMIN;
import static org.nhsv2.platform.security.ApiSecurity.DOCTOR;
import static org.nhsv2.platform.security.ApiSecurity.PATIENT;
import static org.nhsv2.platform.security.ApiSecurity.reads;
import static org.springframework.http.HttpMethod.PATCH;
import static org.springframework.http.HttpMethod.POST;

/**
 * The API's routes on Keycloak's tokens. Deny by default: every route below names its methods and
 * roles, HEAD follows GET's rule, and anything else is refused; the platform's chain adds the OpenAPI
 * document and the erasure endpoint. Facility membership and ownership are
 * checked where the data is (controllers, aggregate). Stripe's webhook carries no token: its signature
 * is checked by the endpoint. The sandbox pages exist only without a Stripe key (local profile).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    @Bean
    @Order(2)
    SecurityFilterChain api(HttpSecurity http, ProblemSecurityHandlers problems) throws Exception {
        return ApiSecurity.chain(http, problems, routes -> {
            reads(routes, url -> url.permitAll(),
                    "/checkout/complete.html", "/checkout/cancelled.html", "/sandbox/checkout/*");
            routes.requestMatchers(POST, "/api/stripe/webhook", "/sandbox/checkout/*/pay", "/sandbox/checkout/*/decline",
                    "/sandbox/checkout/*/expire").permitAll();
            routes.requestMatchers(POST, "/api/checkouts").hasAnyRole(DOCTOR, PATIENT);
            reads(routes, url -> url.hasAnyRole(DOCTOR, PATIENT, ADMIN), "/api/products", "/api/products/*",
                    "/api/transactions/*", "/api/transactions/*/history");
            routes.requestMatchers(POST, "/api/products").hasRole(ADMIN);
            routes.requestMatchers(PATCH, "/api/products/*").hasRole(ADMIN);
            routes.requestMatchers(POST, "/api/transactions/*/refunds").hasAnyRole(DOCTOR, ADMIN);
            // Before the next rule, whose pattern would also match it ("me" is not a patient id).
            reads(routes, url -> url.hasRole(PATIENT), "/api/patients/me/transactions");
            reads(routes, url -> url.hasAnyRole(DOCTOR, ADMIN), "/api/facilities/*/transactions");
        });
    }
}
