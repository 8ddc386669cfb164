package org.nhsv2.gateway.web;

import io.netty.channel.ConnectTimeoutException;
import org.nhsv2.gateway.config.GatewayProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.reactive.error.ErrorWebExceptionHandler;
import org.springframework.cloud.gateway.support.ServiceUnavailableException;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.PrematureCloseException;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

/**
 * Turns every failure the gateway answers itself into problem JSON. Replaces Spring Boot's default handler,
 * which would answer its own error JSON or an HTML page; ordered before it and before WebFlux's own.
 */
@Component
@Order(-2)
class ProblemErrorHandler implements ErrorWebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorHandler.class);

    private final GatewayProperties properties;

    ProblemErrorHandler(GatewayProperties properties) {
        this.properties = properties;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(error);
        }
        String path = exchange.getRequest().getPath().value();
        if (isUnavailable(error)) {
            log.warn("Service unavailable for {}: {}", path, error.toString());
            return unavailable(exchange);
        }
        if (error instanceof TimeoutException) {
            return timedOut(exchange);
        }
        if (error instanceof ResponseStatusException status) {
            return byStatus(exchange, HttpStatus.valueOf(status.getStatusCode().value()));
        }
        log.error("Unexpected failure for {}", path, error);
        return Problems.write(exchange.getResponse(), HttpStatus.INTERNAL_SERVER_ERROR, "internal-error",
                "Internal error", "The gateway failed unexpectedly.");
    }

    private Mono<Void> byStatus(ServerWebExchange exchange, HttpStatus status) {
        return switch (status) {
            case NOT_FOUND -> Problems.write(exchange.getResponse(), status, "not-found", "Not found",
                    "No resource at " + exchange.getRequest().getPath().value() + ".");
            case PAYLOAD_TOO_LARGE -> {
                // The rest of the body is not read: the connection is closed after the answer.
                exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
                yield Problems.write(exchange.getResponse(), status, "payload-too-large", "Payload too large",
                        "The request body is larger than " + properties.maxRequestSize() + ".");
            }
            case SERVICE_UNAVAILABLE, BAD_GATEWAY -> unavailable(exchange);
            case GATEWAY_TIMEOUT -> timedOut(exchange);
            case METHOD_NOT_ALLOWED -> Problems.write(exchange.getResponse(), status, "method-not-allowed",
                    "Method not allowed", "This method is not allowed here.");
            default -> Problems.write(exchange.getResponse(), status,
                    status.is4xxClientError() ? "bad-request" : "internal-error", status.getReasonPhrase(),
                    status.getReasonPhrase() + ".");
        };
    }

    private Mono<Void> unavailable(ServerWebExchange exchange) {
        retryAfter(exchange);
        return Problems.write(exchange.getResponse(), HttpStatus.SERVICE_UNAVAILABLE, "dependency-unavailable",
                "Service unavailable", "The service behind this path is not answering; try again shortly.");
    }

    private Mono<Void> timedOut(ServerWebExchange exchange) {
        retryAfter(exchange);
        return Problems.write(exchange.getResponse(), HttpStatus.GATEWAY_TIMEOUT, "dependency-timeout",
                "Service timed out", "The service did not answer within " + properties.routeTimeout() + ".");
    }

    private void retryAfter(ServerWebExchange exchange) {
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER,
                String.valueOf(Math.max(1, properties.retryAfter().toSeconds())));
    }

    /**
     * Refused, unreachable, closed mid-answer, or the breaker open: the service is down, not the request wrong. The
     * route's CircuitBreaker filter turns the open breaker's CallNotPermittedException into its own
     * ServiceUnavailableException, without a cause.
     */
    private static boolean isUnavailable(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof ConnectTimeoutException
                    || cause instanceof UnknownHostException || cause instanceof PrematureCloseException
                    || cause instanceof ServiceUnavailableException) {
                return true;
            }
        }
        return false;
    }
}
