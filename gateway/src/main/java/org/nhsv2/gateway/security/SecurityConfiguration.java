package org.nhsv2.gateway.security;

import io.netty.channel.ChannelOption;
import org.nhsv2.gateway.config.GatewayProperties;
import org.nhsv2.gateway.config.ManagementPort;
import org.nhsv2.gateway.web.Problems;
import org.springframework.boot.autoconfigure.security.oauth2.resource.OAuth2ResourceServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;

import java.time.Clock;

/**
 * The gateway checks the token itself (issuer, signature from the realm's JWKS, expiry, audience — see
 * application.yml) so that a request without a valid token never reaches a service. The Authorization header
 * goes on unchanged: each service checks roles and facilities again. A token that cannot be checked because the issuer
 * does not answer is a 503 with {@code Retry-After}, not a 401 (see {@link IssuerOutages}).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    /** Paths that must work without a token: Stripe signs its webhook, the sandbox and checkout pages are public. */
    private static final String[] PUBLIC_PATHS = {"/api/stripe/webhook", "/sandbox/**", "/checkout/**"};
    private static final ServerWebExchangeMatcher ACTUATOR = ServerWebExchangeMatchers.pathMatchers("/actuator/**");

    /**
     * Checks tokens as Spring Boot's decoder would (see application.yml), but with the issuer's keys refreshed every
     * {@code nhsv2.gateway.issuer-keys.refresh-after}, so a key the issuer removed stops being accepted (see
     * {@link IssuerKeys}). The issuer's metadata and keys are read with a client that gives up after
     * {@code nhsv2.gateway.issuer-timeout}: a hung Keycloak must not hold every request with an unknown key.
     */
    @Bean
    ReactiveJwtDecoder issuerDecoder(OAuth2ResourceServerProperties resourceServer, GatewayProperties properties) {
        HttpClient http = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(properties.issuerTimeout().toMillis()))
                .responseTimeout(properties.issuerTimeout());
        WebClient issuer = WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
        return IssuerJwtDecoders.create(resourceServer.getJwt(), properties.issuerKeys(), issuer, Clock.systemUTC());
    }

    /**
     * What Spring Security's firewall refuses (a dot segment or an encoded slash in the path, a method such as TRACE,
     * a control character in a header) is the client's mistake: a 400 problem with the code the services give the
     * same refusal, not Spring's default, an empty 400. Spring Security's WebFilterChainProxy picks this bean up.
     */
    @Bean
    ServerExchangeRejectedHandler firewallRefusals() {
        return (exchange, rejected) -> Problems.write(exchange.getResponse(), HttpStatus.BAD_REQUEST,
                "invalid-request", "Invalid request",
                "The request's path, method or headers hold characters or sequences that are not allowed.");
    }

    @Bean
    SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, ReactiveJwtDecoder issuerDecoder,
                                                  GatewayProperties properties, ManagementPort managementPort) {
        // Health and info without a token on the management port only (this chain serves both): on the public port
        // /actuator is a path like any other, 401 without a token.
        ServerWebExchangeMatcher management = exchange -> managementPort.received(exchange)
                ? ACTUATOR.matches(exchange) : ServerWebExchangeMatcher.MatchResult.notMatch();
        ServerAuthenticationEntryPoint unauthorized = (exchange, error) -> {
            if (error instanceof IdentityProviderUnavailableException) {
                exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER,
                        String.valueOf(Math.max(1, properties.retryAfter().toSeconds())));
                return Problems.write(exchange.getResponse(), HttpStatus.SERVICE_UNAVAILABLE, "dependency-unavailable",
                        "Service unavailable", "The identity provider is not answering, so the token cannot be checked"
                                + " yet; try again shortly.");
            }
            exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            // The same code (and words) as the services' 401 (platform ProblemSecurityHandlers): one stable code,
            // whoever refused the token.
            return Problems.write(exchange.getResponse(), HttpStatus.UNAUTHORIZED, "unauthenticated",
                    "Authentication required", "Send a valid bearer token from the nhsv2 realm");
        };
        ServerAccessDeniedHandler forbidden = (exchange, error) -> Problems.write(exchange.getResponse(),
                HttpStatus.FORBIDDEN, "forbidden", "Forbidden", "This token may not do that.");
        return http
                // Stateless bearer-token API: no session, no cookies, so no CSRF token to check.
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                // CorsPolicyFilter handles CORS (with problem answers) before this chain.
                .cors(ServerHttpSecurity.CorsSpec::disable)
                // Not the default no-referrer: under it a browser sends "Origin: null" even with a form posted
                // to its own origin (the checkout page's Pay button), and CORS must refuse an opaque origin.
                // same-origin still sends nothing to other sites.
                .headers(headers -> headers.referrerPolicy(policy -> policy.policy(ReferrerPolicy.SAME_ORIGIN)))
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers(PUBLIC_PATHS).permitAll()
                        .matchers(management).permitAll()
                        .anyExchange().authenticated())
                .oauth2ResourceServer(server -> server
                        .authenticationEntryPoint(unauthorized)
                        .accessDeniedHandler(forbidden)
                        .jwt(jwt -> jwt.jwtDecoder(new IssuerOutages(issuerDecoder))))
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint(unauthorized)
                        .accessDeniedHandler(forbidden))
                .build();
    }
}
