package org.nhsv2.gateway.web;

import org.nhsv2.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Reads a request's whole body before the route's own filters run, so the service's time (the route's circuit
 * breaker, its time limit and response timeout) starts only once the request is complete. Streamed through, a
 * client that sent its headers and a few bytes and then nothing held the call open until the route timed out, and
 * that timeout counted as the service's failure: some twenty such uploads to the public Stripe webhook opened the
 * payment route's breaker, and every checkout was a 503 for everybody. A body that has not arrived within
 * {@code nhsv2.gateway.request-body-timeout} is the request's fault: 408 problem JSON, the connection closed, and
 * the service never hears of it. Bodies are at most {@code nhsv2.gateway.max-request-size} (64 KiB,
 * {@link RequestSizeFilter}, which also counts a chunked body as it is read here), so holding one costs little.
 */
@Component
class RequestBodyFilter implements GlobalFilter, Ordered {

    private final Duration timeout;

    RequestBodyFilter(GatewayProperties properties) {
        this.timeout = properties.requestBodyTimeout();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        if (!hasBody(exchange.getRequest())) {
            return chain.filter(exchange);
        }
        return DataBufferUtils.join(exchange.getRequest().getBody())
                .timeout(timeout)
                .map(body -> withBody(exchange, body))
                .defaultIfEmpty(exchange)
                // Only the body's own timeout: a time limit further on (the route's) is not the client's doing.
                .onErrorResume(TimeoutException.class, late -> timedOut(exchange).then(Mono.empty()))
                .flatMap(chain::filter);
    }

    private static boolean hasBody(ServerHttpRequest request) {
        return request.getHeaders().getContentLength() > 0 || request.getHeaders().containsKey(HttpHeaders.TRANSFER_ENCODING);
    }

    /** The body as read, handed out afresh to whoever reads the request on (the proxying, once). */
    private static ServerWebExchange withBody(ServerWebExchange exchange, DataBuffer joined) {
        byte[] bytes = new byte[joined.readableByteCount()];
        joined.read(bytes);
        DataBufferUtils.release(joined);
        ServerHttpRequest complete = new ServerHttpRequestDecorator(exchange.getRequest()) {
            @Override
            public Flux<DataBuffer> getBody() {
                return Flux.defer(() -> Flux.just(exchange.getResponse().bufferFactory().wrap(bytes)));
            }
        };
        return exchange.mutate().request(complete).build();
    }

    /** The rest of the body may still be on its way; the connection is closed rather than read to its end. */
    private Mono<Void> timedOut(ServerWebExchange exchange) {
        exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
        return Problems.write(exchange.getResponse(), HttpStatus.REQUEST_TIMEOUT, "request-timeout",
                "Request timeout", "The request body did not arrive within " + timeout + ".");
    }

    /**
     * After the rate limit (a refused request's body is not waited for) and before the route's own filters, which
     * Spring Cloud Gateway orders from 1 by their place in the route: its circuit breaker among them.
     */
    @Override
    public int getOrder() {
        return 0;
    }
}
