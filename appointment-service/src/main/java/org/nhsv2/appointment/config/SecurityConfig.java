package org.nhsv2.appointment.config;

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
import static org.springframework.http.HttpMethod.POST;

/**
 * The API's routes on Keycloak's tokens. Deny by default: every route below names its methods and
 * roles, HEAD follows GET's rule, and anything else (another method, another path) is refused; the
 * platform's chain adds the OpenAPI document and the erasure endpoint.
 * Facility membership and ownership are checked where the data is (controllers, aggregate). The
 * management port has its own chain, from the platform.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    @Bean
    @Order(2)
    SecurityFilterChain api(HttpSecurity http, ProblemSecurityHandlers problems) throws Exception {
        return ApiSecurity.chain(http, problems, routes -> {
            routes.requestMatchers(POST, "/api/appointments").hasRole(DOCTOR);
            routes.requestMatchers(POST, "/api/appointments/*/cancel").hasAnyRole(DOCTOR, PATIENT);
            routes.requestMatchers(POST, "/api/appointments/*/reschedule", "/api/appointments/*/fulfil",
                    "/api/appointments/*/no-show").hasRole(DOCTOR);
            reads(routes, url -> url.hasAnyRole(DOCTOR, PATIENT, ADMIN),
                    "/api/appointments/*", "/api/appointments/*/history", "/api/facilities");
            // Before the next rule, whose pattern would also match it ("me" is not a patient id).
            reads(routes, url -> url.hasRole(PATIENT), "/api/patients/me/appointments");
            reads(routes, url -> url.hasAnyRole(DOCTOR, ADMIN),
                    "/api/facilities/*/appointments", "/api/patients/*/appointments", "/api/doctors/*/calendar.ics");
        });
    }
}
