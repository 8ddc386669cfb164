package org.nhsv2.gateway.web;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * A coarse limit per client address on every request, ahead of everything that answers one: the token check (a 401
 * for a bad token, a signature verified), CORS (a preflight), the firewall and the routes (a 404). The per-user limit
 * ({@link UserRateLimitFilter}) comes only after those, so without this a caller could have them answer without end.
 * Sized for many users behind one address (a clinic's NAT): {@code nhsv2.gateway.rate-limit.address-replenish-rate}
 * (500/s) and {@code address-burst-capacity} (1,000). An IPv6 address counts by its /64. Without Redis it lets every
 * request through, as the per-user limit does ({@link RateLimits}). After the request id, so a 429 carries one.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
class AddressRateLimitFilter implements WebFilter {

    private final RateLimits limits;

    AddressRateLimitFilter(RateLimits limits) {
        this.limits = limits;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return limits.isAllowed(RateLimits.PER_ADDRESS, RateLimits.addressKey(exchange))
                .flatMap(allowed -> allowed ? chain.filter(exchange) : limits.refuse(exchange, RateLimits.PER_ADDRESS));
    }
}
