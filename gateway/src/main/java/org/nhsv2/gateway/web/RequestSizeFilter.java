package org.nhsv2.gateway.web;

import org.nhsv2.gateway.config.GatewayProperties;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.PayloadTooLargeException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Refuses bodies over {@code nhsv2.gateway.max-request-size} with 413. A declared Content-Length is checked up
 * front (Spring Cloud Gateway's RequestSize filter stops there); a chunked body is counted as it streams, so
 * leaving the length out does not get round the limit. Runs before the token check: no point verifying a
 * signature for a request that is refused anyway.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class RequestSizeFilter implements WebFilter {

    private final long limit;

    RequestSizeFilter(GatewayProperties properties) {
        this.limit = properties.maxRequestSize().toBytes();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long declared = exchange.getRequest().getHeaders().getContentLength();
        if (declared > limit) {
            // The body may still be on its way: the connection is closed after the answer, not read to its end.
            exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
            return Problems.write(exchange.getResponse(), HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large",
                    "Payload too large", "The request body is larger than " + limit + " bytes.");
        }
        if (declared >= 0) {
            return chain.filter(exchange);
        }
        AtomicLong seen = new AtomicLong();
        ServerHttpRequestDecorator counted = new ServerHttpRequestDecorator(exchange.getRequest()) {
            @Override
            public Flux<DataBuffer> getBody() {
                return super.getBody().doOnNext(buffer -> {
                    if (seen.addAndGet(buffer.readableByteCount()) > limit) {
                        DataBufferUtils.release(buffer);
                        throw new PayloadTooLargeException(new IllegalStateException("over " + limit + " bytes"));
                    }
                });
            }
        };
        return chain.filter(exchange.mutate().request(counted).build());
    }
}
