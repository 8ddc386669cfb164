package org.nhsv2.gateway.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives every request an {@code X-Request-Id}: the caller's when it is a safe token, else a new UUID. It goes to
 * the service, back to the caller, and into the one log line the gateway writes per request. First of all
 * filters, so refusals (401, 413, 429) carry it too.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestIdFilter implements WebFilter {

    static final String HEADER = "X-Request-Id";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Logger log = LoggerFactory.getLogger(RequestIdFilter.class);

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String requestId = requestIdOf(exchange);
        ServerWebExchange withId = exchange.mutate()
                .request(request -> request.headers(headers -> headers.set(HEADER, requestId)))
                .build();
        // Set at commit time: a service's own response headers or an error handler would otherwise replace it.
        withId.getResponse().beforeCommit(() -> {
            withId.getResponse().getHeaders().set(HEADER, requestId);
            return Mono.empty();
        });
        long started = System.nanoTime();
        return chain.filter(withId).doFinally(signal -> logRequest(withId, requestId, started));
    }

    /** Anything else (too long, odd characters) could forge log lines or headers downstream: replaced, not trusted. */
    private static String requestIdOf(ServerWebExchange exchange) {
        String given = exchange.getRequest().getHeaders().getFirst(HEADER);
        return given != null && SAFE.matcher(given).matches() ? given : UUID.randomUUID().toString();
    }

    private static void logRequest(ServerWebExchange exchange, String requestId, long started) {
        MDC.put("requestId", requestId);
        try {
            log.info("{} {} -> {} in {} ms [requestId={}]", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath().value(), exchange.getResponse().getStatusCode(),
                    (System.nanoTime() - started) / 1_000_000, requestId);
        } finally {
            MDC.remove("requestId");
        }
    }
}
