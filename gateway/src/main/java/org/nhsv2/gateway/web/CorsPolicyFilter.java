package org.nhsv2.gateway.web;

import org.nhsv2.gateway.config.GatewayProperties;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.cors.reactive.DefaultCorsProcessor;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;

/**
 * CORS for the configured origins only. Spring's CorsWebFilter refuses with an empty 403; this one answers the
 * refusal as problem JSON like every other error. Runs before the token check because a browser's preflight
 * never carries a token.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class CorsPolicyFilter implements WebFilter {

    private final DefaultCorsProcessor processor = new DefaultCorsProcessor();
    private final CorsConfiguration configuration;

    CorsPolicyFilter(GatewayProperties properties) {
        configuration = new CorsConfiguration();
        configuration.setAllowedOrigins(properties.cors().allowedOrigins());
        configuration.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"));
        configuration.setAllowedHeaders(List.of("*"));
        // Besides the basics, what the services answer that a browser app needs: a refund's id (payment-service,
        // 201 to a refund) and whether a POST was answered from its Idempotency-Key record (any service).
        configuration.setExposedHeaders(List.of("Location", "Retry-After", "X-Request-Id", "Refund-Id",
                "Idempotent-Replayed"));
        configuration.setMaxAge(Duration.ofHours(1));
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        boolean crossOrigin;
        try {
            crossOrigin = CorsUtils.isCorsRequest(exchange.getRequest());
        } catch (IllegalArgumentException | IllegalStateException unparsableOrigin) {
            // Spring parses the Origin to compare it with the request's own and throws for a bad authority or port.
            // No browser sends such an origin, and none can be on the allowed list: refused like any other.
            return refuse(exchange);
        }
        if (!crossOrigin) {
            return chain.filter(exchange);
        }
        if (!processor.process(configuration, exchange)) {
            return refuse(exchange);
        }
        return CorsUtils.isPreFlightRequest(exchange.getRequest()) ? Mono.empty() : chain.filter(exchange);
    }

    private static Mono<Void> refuse(ServerWebExchange exchange) {
        return Problems.write(exchange.getResponse(), HttpStatus.FORBIDDEN, "cors-origin-refused",
                "Origin not allowed", "Cross-origin requests from this origin are not allowed.");
    }
}
