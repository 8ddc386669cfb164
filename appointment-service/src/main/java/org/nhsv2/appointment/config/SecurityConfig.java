package org.nhsv2.appointment.config;

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
import static org.springframework.http.HttpMethod.POST;

/**
 * The API's routes on Keycloak's tokens. Deny by default: every route below names its methods and
 * roles, HEAD follows GET's rule, and anything else (another method, another path) is refused.
 * Facility membership and ownership are checked where the data is (controllers, aggregate). The
 * management port has its own chain, from the platform.
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
            // The container's forward to /error after a failure; asking for /error directly is refused.
            routes.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll();
            reads(routes, url -> url.permitAll(),
                    "/v3/api-docs", "/v3/api-docs.yaml", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**");
            routes.requestMatchers(POST, "/api/appointments").hasRole(DOCTOR);
            routes.requestMatchers(POST, "/api/appointments/*/cancel").hasAnyRole(DOCTOR, PATIENT);
            routes.requestMatchers(POST, "/api/appointments/*/reschedule", "/api/appointments/*/fulfil",
                    "/api/appointments/*/no-show").hasRole(DOCTOR);
            reads(routes, url -> url.hasAnyRole(DOCTOR, PATIENT, ADMIN),
                    "/api/appointments/*", "/api/appointments/*/history", "/api/facilities");
            // Before the next rule, whose pattern would also match it ("me" is not a patient id).
            reads(routes, url -> url.hasRole(PATIENT), "/api/patients/me/appointments");
            reads(routes, url -> url.hasAnyRole(DOCTOR, ADMIN),
                    "/api/facilities/*/appointments", "/api/patients/*/appointments");
            routes.requestMatchers(DELETE, "/api/patients/*/personal-data").hasRole(ADMIN);
            routes.anyRequest().denyAll();
        });
        return ApiSecurity.bearerTokens(http, problems).build();
    }
}
