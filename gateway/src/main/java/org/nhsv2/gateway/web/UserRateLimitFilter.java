package org.nhsv2.gateway.web;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.security.Principal;

/**
 * Per-user rate limit on every route: one token bucket per token subject ({@code sub}), or per client address for
 * the public paths ({@link RateLimits}, which also says what happens without Redis).
 */
@Component
class UserRateLimitFilter implements GlobalFilter, Ordered {

    private final RateLimits limits;

    UserRateLimitFilter(RateLimits limits) {
        this.limits = limits;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        return keyOf(exchange)
                .flatMap(key -> limits.isAllowed(RateLimits.PER_CALLER, key))
                .flatMap(allowed -> allowed ? chain.filter(exchange) : limits.refuse(exchange, RateLimits.PER_CALLER));
    }

    private static Mono<String> keyOf(ServerWebExchange exchange) {
        // A token without a subject (a realm whose client scopes leave sub out) names no user: its address's bucket.
        return exchange.getPrincipal()
                .mapNotNull(Principal::getName)
                .map(subject -> "user:" + subject)
                .switchIfEmpty(Mono.fromSupplier(() -> RateLimits.addressKey(exchange)));
    }

    /** Before the route's own filters (circuit breaker, proxying), so a refused request costs a service nothing. */
    @Override
    public int getOrder() {
        return -1;
    }
}
