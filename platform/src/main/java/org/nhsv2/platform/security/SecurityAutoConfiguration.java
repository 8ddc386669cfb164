package org.nhsv2.platform.security;

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
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * The security every service shares: problem answers for 401, 403 and firewall rejections, and the
 * management port's chain. Each service adds its API chain (see {@link ApiSecurity}).
 */
@AutoConfiguration(after = ProblemAutoConfiguration.class)
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
