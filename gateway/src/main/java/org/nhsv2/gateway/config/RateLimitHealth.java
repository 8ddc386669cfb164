package org.nhsv2.gateway.config;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.ReactiveHealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;

/**
 * The rate limit as health sees it, in place of Spring Boot's Redis indicator (turned off in application.yml):
 * Redis away costs the gateway no request, only the limit, so it is {@code DEGRADED} (answered with 200), never
 * {@code DOWN}, which would have a monitor page someone or an orchestrator restart a gateway that serves well.
 */
@Component("rateLimit")
class RateLimitHealth implements ReactiveHealthIndicator {

    static final Status DEGRADED = new Status("DEGRADED", "Redis is unreachable; requests go through without the rate limit");
    /** Longer than Redis's own timeouts (500 ms), so an answer late by those still counts. */
    private static final Duration PING_TIMEOUT = Duration.ofSeconds(1);

    private final ReactiveRedisConnectionFactory redisConnections;

    RateLimitHealth(ReactiveRedisConnectionFactory redisConnections) {
        this.redisConnections = redisConnections;
    }

    @Override
    public Mono<Health> health() {
        // The first connection is opened blocking: off the event loop.
        return Mono.usingWhen(
                        Mono.fromCallable(redisConnections::getReactiveConnection).subscribeOn(Schedulers.boundedElastic()),
                        connection -> connection.ping(),
                        ReactiveRedisConnection::closeLater)
                .timeout(PING_TIMEOUT)
                .map(pong -> Health.up().build())
                .onErrorResume(away -> Mono.just(Health.status(DEGRADED).withDetail("error", away.getClass().getSimpleName()).build()));
    }
}
