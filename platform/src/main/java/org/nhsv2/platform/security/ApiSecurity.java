package org.nhsv2.platform.security;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;

import java.util.function.Function;

import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.HEAD;

/**
 * How every service's API chain starts: stateless, no sessions or forms, problem answers for 401 and
 * 403, Keycloak's realm roles, the container's error forward let through. The service then names
 * every route's methods and roles and ends with {@code anyRequest().denyAll()}.
 */
public final class ApiSecurity {

    private ApiSecurity() {
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
