package org.nhsv2.platform.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import jakarta.servlet.DispatcherType;
import org.nhsv2.platform.problem.ProblemAutoConfiguration;
import org.nhsv2.platform.problem.ProblemWriter;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.info.InfoEndpoint;
import org.springframework.boot.actuate.metrics.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.security.oauth2.resource.OAuth2ResourceServerProperties;
import org.springframework.boot.autoconfigure.security.oauth2.resource.servlet.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedHandler;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.time.Clock;
import java.util.stream.Collectors;

/**
 * The security every service shares: problem answers for 401, 403 and firewall rejections, the token decoder
 * for the configured issuer (503 while the issuer cannot be reached, see {@link IssuerJwtDecoder}), and the
 * management port's chain. Each service adds its API chain (see {@link ApiSecurity}).
 */
@AutoConfiguration(after = ProblemAutoConfiguration.class, before = OAuth2ResourceServerAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class SecurityAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ProblemSecurityHandlers problemSecurityHandlers(ProblemWriter problems) {
        return new ProblemSecurityHandlers(problems);
    }

    @Bean
    @ConditionalOnMissingBean
    RequestRejectedHandler problemFirewallHandler(ProblemWriter problems) {
        return new ProblemFirewallHandler(problems);
    }

    /** Spring Security's strict firewall, its character rules checked without regular expressions. */
    @Bean
    @ConditionalOnMissingBean
    HttpFirewall httpFirewall() {
        return FirewallRules.strictFirewall();
    }

    /** The bearer token from the {@code Authorization} header, as Spring Security finds it by default. */
    @Bean
    @ConditionalOnMissingBean
    BearerTokenResolver bearerTokenResolver() {
        return new BearerTokenHeader();
    }

    /**
     * Spring Security's own defaults for its observations: authentications and authorizations observed, the filter
     * chain not. Without this bean it observes the chain too, every filter before and after on every request: two
     * timers looked up in the metrics registry per filter, about fifteen filters, for figures nobody reads (the
     * request's own timer, {@code http.server.requests}, stays).
     */
    @Bean
    @ConditionalOnMissingBean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.withDefaults().build();
    }

    /**
     * Replaces Spring Boot's decoder for {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} (same checks:
     * signature, issuer, expiry, {@code audiences}, {@code jws-algorithms}) with one that keeps the issuer's keys
     * through its outages and answers 503 for a token it cannot check yet ({@link IssuerSettings}).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(NimbusJwtDecoder.class)
    @ConditionalOnProperty("spring.security.oauth2.resourceserver.jwt.issuer-uri")
    @EnableConfigurationProperties({OAuth2ResourceServerProperties.class, IssuerSettings.class})
    static class IssuerTokens {

        /** Keycloak's key set is a few kilobytes. */
        private static final int MAX_KEY_SET_BYTES = 512 * 1024;

        @Bean
        @ConditionalOnMissingBean
        JwtDecoder jwtDecoder(OAuth2ResourceServerProperties properties, IssuerSettings settings) {
            OAuth2ResourceServerProperties.Jwt jwt = properties.getJwt();
            int timeout = Math.toIntExact(settings.timeout().toMillis());
            return new IssuerJwtDecoder(jwt.getIssuerUri(), urlOf(jwt.getJwkSetUri()), jwt.getAudiences(),
                    jwt.getJwsAlgorithms().stream().map(JWSAlgorithm::parse).collect(Collectors.toSet()),
                    new DefaultResourceRetriever(timeout, timeout, MAX_KEY_SET_BYTES),
                    settings.refreshKeysAfter(), settings.minRefetch(), Clock.systemUTC(), settings.verifiedTokensKept());
        }

        private static URL urlOf(String address) {
            try {
                return address == null ? null : URI.create(address).toURL();
            } catch (MalformedURLException | IllegalArgumentException e) {
                throw new IllegalStateException("spring.security.oauth2.resourceserver.jwt.jwk-set-uri is not a URL: "
                        + address, e);
            }
        }
    }

    /**
     * The actuator lives on its own management port (never the API port, which the gateway
     * publishes): health and Prometheus for the platform's probes and scrapers, nothing else.
     * {@link EndpointRequest} matches only requests that reach that port.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(EndpointRequest.class)
    static class Management {

        @Bean
        @Order(1)
        SecurityFilterChain management(HttpSecurity http, ProblemSecurityHandlers problems) throws Exception {
            return ApiSecurity.stateless(http, problems)
                    .securityMatcher(EndpointRequest.toAnyEndpoint())
                    .authorizeHttpRequests(routes -> routes
                            .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                            .requestMatchers(EndpointRequest.to(HealthEndpoint.class, InfoEndpoint.class,
                                    PrometheusScrapeEndpoint.class)).permitAll()
                            .anyRequest().denyAll())
                    .build();
        }
    }
}
