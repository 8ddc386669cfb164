package org.nhsv2.gateway.web;

import org.nhsv2.gateway.config.ManagementPort;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * A coarse limit per client address on every request, ahead of what answers one before routing: the token check (a
 * 401 for a bad token, a signature verified), the firewall and the routes (a 404). The per-user limit
 * ({@link UserRateLimitFilter}) comes only after those, so without this a caller could have them answer without end.
 * After CORS, so that a refusal carries the CORS headers a browser app needs to read it (a preflight, answered there,
 * costs no signature and is not counted). Sized for many users behind one address (a clinic's NAT):
 * {@code nhsv2.gateway.rate-limit.address-replenish-rate} (500/s) and {@code address-burst-capacity} (1,000). An IPv6
 * address counts by its /64. Without Redis it lets every request through, as the per-user limit does
 * ({@link RateLimits}). Not on the management port: a flood from an address a prober shares must not fail the
 * readiness probe and take the gateway out of service.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 25)
class AddressRateLimitFilter implements WebFilter {

    private final RateLimits limits;
    private final ManagementPort managementPort;

    AddressRateLimitFilter(RateLimits limits, ManagementPort managementPort) {
        this.limits = limits;
        this.managementPort = managementPort;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (managementPort.received(exchange)) {
            return chain.filter(exchange);
        }
        return limits.isAllowed(RateLimits.PER_ADDRESS, RateLimits.addressKey(exchange))
                .flatMap(allowed -> allowed ? chain.filter(exchange) : limits.refuse(exchange, RateLimits.PER_ADDRESS));
    }
}
