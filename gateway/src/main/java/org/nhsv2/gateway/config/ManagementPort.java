package org.nhsv2.gateway.config;

import org.springframework.boot.web.reactive.context.ReactiveWebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import java.net.InetSocketAddress;

/**
 * The management server's port, once it listens (its own context, whose events reach this one). The gateway's web
 * filters and security chain serve both ports; what only the management port may have (health without a token, no
 * rate limit) asks here which one a request came in on.
 */
@Component
public class ManagementPort {

    private volatile int port = -1;

    @EventListener
    void on(ReactiveWebServerInitializedEvent started) {
        if ("management".equals(started.getApplicationContext().getServerNamespace())) {
            port = started.getWebServer().getPort();
        }
    }

    /** Whether the request came in on the management server's port (never, before it listens). */
    public boolean received(ServerWebExchange exchange) {
        InetSocketAddress local = exchange.getRequest().getLocalAddress();
        return local != null && local.getPort() == port;
    }
}
