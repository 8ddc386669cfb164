package org.nhsv2.gateway.web;

import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import java.util.Locale;

/**
 * Where a caller says it came from ({@code Forwarded}, {@code X-Forwarded-For}, {@code -Host}, {@code -Proto}, ...) is
 * its own word, and the gateway is the public edge: the services behind must not hear it as the gateway's (Spring Boot
 * believes these headers from a private address on Kubernetes, and the gateway is one). Dropped from every request a
 * route sends on. A headers filter of the proxying itself, last, rather than a route filter that rebuilds the request:
 * that would copy the headers past the firewall's check of their values.
 */
@Component
class ForwardedHeadersDropped implements HttpHeadersFilter, Ordered {

    @Override
    public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
        HttpHeaders kept = new HttpHeaders();
        input.forEach((name, values) -> {
            if (!isForwarded(name)) {
                kept.addAll(name, values);
            }
        });
        return kept;
    }

    @Override
    public boolean supports(Type type) {
        return type == Type.REQUEST;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    private static boolean isForwarded(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.equals("forwarded") || lower.startsWith("x-forwarded-");
    }
}
