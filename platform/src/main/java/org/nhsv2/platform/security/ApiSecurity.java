package org.nhsv2.platform.security;

import jakarta.servlet.DispatcherType;
import org.nhsv2.platform.web.PersonalDataErasureController;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;

import java.util.function.Function;

import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.HEAD;

/**
 * Every service's API chain ({@link #chain}): stateless, no sessions or forms, problem answers for
 * 401 and 403, Keycloak's realm roles, the container's error forward let through, the OpenAPI
 * document public and the platform's own endpoints under their rules. The service names every one
 * of its routes with its methods and roles; anything else is denied.
 */
public final class ApiSecurity {

    public static final String DOCTOR = "DOCTOR";
    public static final String PATIENT = "PATIENT";
    public static final String ADMIN = "ADMIN";

    private ApiSecurity() {
    }

    /** The API chain with the service's own routes, each named with its methods and roles; deny by default. */
    public static SecurityFilterChain chain(HttpSecurity http, ProblemSecurityHandlers problems,
            Customizer<AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry> serviceRoutes)
            throws Exception {
        stateless(http, problems).authorizeHttpRequests(routes -> {
            // The container's forward to /error after a failure; asking for /error directly is refused.
            routes.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll();
            reads(routes, url -> url.permitAll(),
                    "/v3/api-docs", "/v3/api-docs.yaml", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**");
            routes.requestMatchers(DELETE, PersonalDataErasureController.PATH).hasRole(ADMIN);
            serviceRoutes.customize(routes);
            routes.anyRequest().denyAll();
        });
        return bearerTokens(http, problems).build();
    }

    /** A stateless chain whose 401 and 403 are problem documents. */
    public static HttpSecurity stateless(HttpSecurity http, ProblemSecurityHandlers problems) throws Exception {
        return http.csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable);
    }

    /** The resource server on Keycloak's tokens, with realm roles as authorities. */
    public static HttpSecurity bearerTokens(HttpSecurity http, ProblemSecurityHandlers problems) throws Exception {
        return http.oauth2ResourceServer(server -> server
                .jwt(jwt -> jwt.jwtAuthenticationConverter(keycloakRoles()))
                .authenticationEntryPoint(problems)
                .accessDeniedHandler(problems));
    }

    /** GET and HEAD share one rule: Spring MVC answers HEAD with the GET handler. */
    public static void reads(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry routes,
                             Function<AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizedUrl, ?> rule,
                             String... paths) {
        rule.apply(routes.requestMatchers(GET, paths));
        rule.apply(routes.requestMatchers(HEAD, paths));
    }

    public static JwtAuthenticationConverter keycloakRoles() {
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(new KeycloakRoles());
        return converter;
    }
}
