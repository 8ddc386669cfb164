package org.nhsv2.payment.config;

import jakarta.servlet.DispatcherType;
import org.nhsv2.platform.security.ApiSecurity;
import org.nhsv2.platform.security.ProblemSecurityHandlers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

import static org.nhsv2.platform.security.ApiSecurity.reads;
import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.PATCH;
import static org.springframework.http.HttpMethod.POST;

/**
 * The API's routes on Keycloak's tokens. Deny by default: every route below names its methods and
 * roles, HEAD follows GET's rule, and anything else is refused. Facility membership and ownership are
 * checked where the data is (controllers, aggregate). Stripe's webhook carries no token: its signature
 * is checked by the endpoint. The sandbox pages exist only without a Stripe key (local profile).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    private static final String DOCTOR = "DOCTOR";
    private static final String PATIENT = "PATIENT";
    private static final String ADMIN = "ADMIN";

    @Bean
    @Order(2)
    SecurityFilterChain api(HttpSecurity http, ProblemSecurityHandlers problems) throws Exception {
        ApiSecurity.stateless(http, problems).authorizeHttpRequests(routes -> {
            routes.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll();
            reads(routes, url -> url.permitAll(),
                    "/v3/api-docs", "/v3/api-docs.yaml", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**",
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
            routes.requestMatchers(DELETE, "/api/patients/*/personal-data").hasRole(ADMIN);
            routes.anyRequest().denyAll();
        });
        return ApiSecurity.bearerTokens(http, problems).build();
    }
}
