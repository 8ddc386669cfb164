package org.nhsv2.gateway.web;

import org.nhsv2.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.ratelimit.RedisRateLimiter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.net.InetSocketAddress;
import java.security.Principal;

/**
 * Per-user rate limit on every route: one token bucket per token subject ({@code sub}), or per client IP for the
 * public paths. It calls Spring Cloud Gateway's RedisRateLimiter directly instead of the RequestRateLimiter
 * filter because that filter answers 429 with an empty body; ours is problem JSON with Retry-After.
 * If Redis is down RedisRateLimiter lets requests through: losing the limit beats losing the API.
 */
@Component
class UserRateLimitFilter implements GlobalFilter, Ordered {

    private final RedisRateLimiter limiter;
    private final String keyPrefix;
    private final long retryAfterSeconds;

    UserRateLimitFilter(RedisRateLimiter limiter, GatewayProperties properties) {
        this.limiter = limiter;
        this.keyPrefix = properties.rateLimit().keyPrefix();
        // The bucket gains replenishRate tokens a second, so one token is back within a second at most.
        this.retryAfterSeconds = Math.max(1, (long) Math.ceil(1.0 / properties.rateLimit().replenishRate()));
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        return keyOf(exchange)
                .flatMap(key -> limiter.isAllowed("all-routes", keyPrefix + ":" + key))
                .flatMap(response -> response.isAllowed() ? chain.filter(exchange) : refuse(exchange));
    }

    private Mono<Void> refuse(ServerWebExchange exchange) {
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
        return Problems.write(exchange.getResponse(), HttpStatus.TOO_MANY_REQUESTS, "too-many-requests",
                "Too many requests", "Request rate limit reached; retry after " + retryAfterSeconds + " s.");
    }

    /**
     * The remote address, not X-Forwarded-For: the gateway is the public edge, and a header the caller writes
     * would let anyone pick a fresh bucket per request.
     */
    private static Mono<String> keyOf(ServerWebExchange exchange) {
        return exchange.getPrincipal()
                .map(Principal::getName)
                .map(subject -> "user:" + subject)
                .switchIfEmpty(Mono.fromSupplier(() -> {
                    InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
                    return "ip:" + (remote == null ? "unknown" : remote.getAddress().getHostAddress());
                }));
    }

    /** Before the route's own filters (circuit breaker, proxying), so a refused request costs a service nothing. */
    @Override
    public int getOrder() {
        return -1;
    }
}
