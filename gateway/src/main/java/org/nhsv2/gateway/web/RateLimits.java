package org.nhsv2.gateway.web;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import org.nhsv2.gateway.config.GatewayProperties;
import org.nhsv2.gateway.config.RateLimitConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.cloud.gateway.filter.ratelimit.RateLimiter;
import org.springframework.cloud.gateway.filter.ratelimit.RedisRateLimiter;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's token buckets in Redis (Spring Cloud Gateway's RedisRateLimiter, atomic across gateway instances),
 * asked by {@link AddressRateLimitFilter} and {@link UserRateLimitFilter}, and their 429 answer: problem JSON with
 * Retry-After, where RedisRateLimiter's own filter answers with an empty body.
 * <p>
 * Losing the limit beats losing the API, and never a hang for it:
 * <ul>
 * <li>Until Spring Data holds a connection to Redis, requests go through unlimited. Its first connection is opened
 * synchronously, blocking the caller (on a Netty event loop, every request there) for up to Lettuce's connect and
 * handshake timeouts, so it is opened here in the background, one attempt at a time and at most one a second. Once
 * opened it is kept, and Lettuce reconnects it by itself.</li>
 * <li>A verdict that does not come within {@code nhsv2.gateway.rate-limit.timeout} is not waited for (a hung Redis, a
 * partition: Lettuce's own command timeout is far longer). RedisRateLimiter already lets a request through when
 * Redis answers with an error, and Lettuce refuses commands at once while disconnected (RateLimitConfiguration).</li>
 * <li>After a few calls without a verdict, Redis is left alone for a second at a time (then one request tries it
 * again), so an outage costs requests no time either.</li>
 * </ul>
 */
@Component
class RateLimits {

    /** Every request, per caller: the user (their token's subject), or the address of an anonymous one. */
    static final String PER_CALLER = "all-routes";
    /** Every request, per address, before its token is looked at ({@code RateLimitConfiguration} sizes it). */
    static final String PER_ADDRESS = RateLimitConfiguration.PER_ADDRESS;

    private static final Logger log = LoggerFactory.getLogger(RateLimits.class);
    /** How long Redis is left alone once it failed to connect or to answer in time, before it is tried again. */
    private static final Duration REDIS_RETRY_AFTER = Duration.ofSeconds(1);

    private final RedisRateLimiter limiter;
    private final ReactiveRedisConnectionFactory redisConnections;
    private final String keyPrefix;
    private final int callerReplenishRate;
    private final int addressReplenishRate;
    private final Duration timeout;
    private final CircuitBreaker redis;
    private final AtomicBoolean connected = new AtomicBoolean();
    private final AtomicBoolean connecting = new AtomicBoolean();
    private final AtomicLong nextConnectAttempt = new AtomicLong(System.nanoTime());
    private volatile boolean connectFailureLogged;

    RateLimits(RedisRateLimiter limiter, ReactiveRedisConnectionFactory redisConnections, GatewayProperties properties) {
        this.limiter = limiter;
        this.redisConnections = redisConnections;
        this.keyPrefix = properties.rateLimit().keyPrefix();
        this.callerReplenishRate = properties.rateLimit().replenishRate();
        this.addressReplenishRate = properties.rateLimit().addressReplenishRate();
        this.timeout = properties.rateLimit().timeout();
        this.redis = CircuitBreaker.of("rate-limit-redis", CircuitBreakerConfig.custom()
                .slidingWindowSize(10)
                .minimumNumberOfCalls(5)
                .failureRateThreshold(50)
                .waitDurationInOpenState(REDIS_RETRY_AFTER)
                .permittedNumberOfCallsInHalfOpenState(1)
                .build());
        redis.getEventPublisher().onStateTransition(event -> {
            switch (event.getStateTransition().getToState()) {
                case OPEN -> log.warn("Redis gives no rate-limit verdict within {}: requests go through unlimited"
                        + " until it answers again", timeout);
                case CLOSED -> log.info("Redis answers again: rate limits apply");
                default -> {
                }
            }
        });
    }

    /** Connects before the first request needs it. */
    @EventListener(ApplicationReadyEvent.class)
    void connectToRedis() {
        connectInTheBackground();
    }

    /** Redis's verdict on one more request from {@code key} under {@code limit}, or {@code true} when none comes in time. */
    Mono<Boolean> isAllowed(String limit, String key) {
        if (!connected.get()) {
            connectInTheBackground();
            return Mono.just(true);
        }
        return Mono.defer(() -> limiter.isAllowed(limit, keyPrefix + ":" + key))
                .map(RateLimiter.Response::isAllowed)
                .timeout(timeout)
                .transformDeferred(CircuitBreakerOperator.of(redis))
                .onErrorResume(noVerdict -> Mono.just(true));
    }

    /** 429 problem JSON, with Retry-After: within that many seconds the limit's bucket holds a token again. */
    Mono<Void> refuse(ServerWebExchange exchange, String limit) {
        int replenishRate = PER_ADDRESS.equals(limit) ? addressReplenishRate : callerReplenishRate;
        // The bucket gains replenishRate tokens a second, so one token is back within a second at most.
        long retryAfterSeconds = Math.max(1, (long) Math.ceil(1.0 / replenishRate));
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
        return Problems.write(exchange.getResponse(), HttpStatus.TOO_MANY_REQUESTS, "too-many-requests",
                "Too many requests", "Request rate limit reached; retry after " + retryAfterSeconds + " s.");
    }

    /**
     * The connection's peer, not X-Forwarded-For: the gateway is the public edge, and a header the caller writes
     * would let anyone pick a fresh bucket per request.
     */
    static String addressKey(ServerWebExchange exchange) {
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        return remote == null || remote.getAddress() == null ? "ip:unknown" : addressKey(remote.getAddress());
    }

    /**
     * An IPv4 address as it is; an IPv6 one by its /64, the least a site is given: one host holds a whole /64 and could
     * otherwise take 2^64 buckets. An IPv4 address mapped into IPv6 counts as IPv4.
     */
    static String addressKey(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] prefix = Arrays.copyOf(address.getAddress(), 16);
            Arrays.fill(prefix, 8, 16, (byte) 0);
            try {
                return "ip6:" + InetAddress.getByAddress(prefix).getHostAddress() + "/64";
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        return "ip:" + address.getHostAddress();
    }

    private void connectInTheBackground() {
        if (System.nanoTime() - nextConnectAttempt.get() < 0 || !connecting.compareAndSet(false, true)) {
            return;
        }
        try {
            Schedulers.boundedElastic().schedule(this::connect);
        } catch (RejectedExecutionException busy) {
            connecting.set(false);
        }
    }

    /** Opens (and keeps) Spring Data's shared connection, the one RedisRateLimiter's template uses. */
    private void connect() {
        // Closing this handle leaves the shared connection open.
        try (ReactiveRedisConnection connection = redisConnections.getReactiveConnection()) {
            connected.set(true);
            log.info("Connected to Redis: rate limits apply");
        } catch (RuntimeException e) {
            nextConnectAttempt.set(System.nanoTime() + REDIS_RETRY_AFTER.toNanos());
            if (!connectFailureLogged) {
                connectFailureLogged = true;
                log.warn("Cannot connect to Redis ({}): requests go through without the rate limit until it can,"
                        + " trying again every {}", e.toString(), REDIS_RETRY_AFTER);
            }
        } finally {
            connecting.set(false);
        }
    }
}
