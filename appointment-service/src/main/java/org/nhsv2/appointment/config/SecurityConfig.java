package org.nhsv2.appointment.config;

import jakarta.servlet.DispatcherType;
import org.nhsv2.appointment.web.ProblemSecurityHandlers;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.info.InfoEndpoint;
import org.springframework.boot.actuate.metrics.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.HEAD;
import static org.springframework.http.HttpMethod.POST;

/**
 * A stateless OAuth2 resource server on Keycloak's issuer. Deny by default: every route below names
 * its methods and roles, HEAD follows GET's rule, and anything else (another method, another path)
 * is refused. Facility membership and ownership are checked where the data is (controllers,
 * aggregate).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    private static final String DOCTOR = "DOCTOR";
    private static final String PATIENT = "PATIENT";
    private static final String ADMIN = "ADMIN";

    /**
     * The actuator lives on its own management port (never the API port, which the gateway
     * publishes): health and Prometheus for the platform's probes and scrapers, nothing else.
     * {@link EndpointRequest} matches only requests that reach that port.
     */
    @Bean
    @Order(1)
    SecurityFilterChain management(HttpSecurity http, ProblemSecurityHandlers problems) throws Exception {
        return stateless(http, problems)
                .securityMatcher(EndpointRequest.toAnyEndpoint())
                .authorizeHttpRequests(routes -> routes
                        .requestMatchers(EndpointRequest.to(HealthEndpoint.class, InfoEndpoint.class,
                                PrometheusScrapeEndpoint.class)).permitAll()
                        .anyRequest().denyAll())
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain api(HttpSecurity http, ProblemSecurityHandlers problems) throws Exception {
        return stateless(http, problems)
                .authorizeHttpRequests(routes -> {
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
                })
                .oauth2ResourceServer(server -> server
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(keycloakRoles()))
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems))
                .build();
    }

    /** GET and HEAD share one rule: Spring MVC answers HEAD with the GET handler. */
    private static void reads(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry routes,
                              Function<AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizedUrl, ?> rule,
                              String... paths) {
        rule.apply(routes.requestMatchers(GET, paths));
        rule.apply(routes.requestMatchers(HEAD, paths));
    }

    private static HttpSecurity stateless(HttpSecurity http, ProblemSecurityHandlers problems) throws Exception {
        return http.csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable);
    }

    /** Keycloak puts realm roles in {@code realm_access.roles}. */
    static JwtAuthenticationConverter keycloakRoles() {
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(new RealmRoles());
        return converter;
    }

    private static final class RealmRoles implements Converter<Jwt, Collection<GrantedAuthority>> {
        @Override
        public Collection<GrantedAuthority> convert(Jwt jwt) {
            Map<String, Object> realmAccess = jwt.getClaimAsMap("realm_access");
            if (realmAccess == null || !(realmAccess.get("roles") instanceof Collection<?> roles)) {
                return List.of();
            }
            return roles.stream().map(role -> (GrantedAuthority) new SimpleGrantedAuthority("ROLE_" + role)).toList();
        }
    }
}
