package org.nhsv2.gateway.config;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JConfigBuilder;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.web.server.ResponseStatusException;

/**
 * One circuit breaker per route (named in application.yml), all with the same shape. Resilience4j's default
 * time limit is one second, far too short for a booking; here it is the route timeout, after which the client
 * gets 504. An open breaker answers 503 at once instead of piling requests on a failing service.
 */
@Configuration(proxyBeanMethods = false)
class ResilienceConfiguration {

    @Bean
    Customizer<ReactiveResilience4JCircuitBreakerFactory> routeCircuitBreakers(GatewayProperties properties) {
        return factory -> factory.configureDefault(id -> new Resilience4JConfigBuilder(id)
                .timeLimiterConfig(TimeLimiterConfig.custom().timeoutDuration(properties.routeTimeout()).build())
                .circuitBreakerConfig(CircuitBreakerConfig.custom()
                        .slidingWindowSize(20)
                        .minimumNumberOfCalls(10)
                        .failureRateThreshold(50)
                        .waitDurationInOpenState(properties.retryAfter())
                        .ignoreException(ResilienceConfiguration::isTheRequestsFault)
                        .build())
                .build());
    }

    /**
     * Some refusals happen while the request is being proxied, inside the breaker: a chunked body found too large
     * as it streams (413), a header the firewall refuses when the route reads it (400). They say nothing about the
     * service, and counted as its failures they let anyone, even without a token, open a service's breaker with a
     * few bad requests. Ignored, not recorded as successes: bad requests must not hide a failing service either.
     */
    private static boolean isTheRequestsFault(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ResponseStatusException status && status.getStatusCode().is4xxClientError()
                    || cause instanceof ServerExchangeRejectedException) {
                return true;
            }
        }
        return false;
    }
}
