package org.nhsv2.gateway.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.List;

/**
 * The gateway's own settings; routes themselves are Spring Cloud Gateway's
 * ({@code spring.cloud.gateway.server.webflux.routes}).
 *
 * @param cors           origins whose browsers may call the API
 * @param rateLimit      per-user and per-address token buckets kept in Redis
 * @param maxRequestSize larger bodies are refused with 413 before they reach a service
 * @param routeTimeout   longest a service may take to answer before the client gets 504
 * @param retryAfter     what 503 answers suggest in {@code Retry-After} (about the breaker's open time)
 * @param issuerTimeout  connect and response timeout for the issuer's metadata and keys: a token waits no longer
 *                       for a hung Keycloak before its 503
 * @param issuerKeys     how long the issuer's signing keys are trusted without asking the issuer again
 * @param requestBodyTimeout longest a client may take to send its whole request body (it is read before the request
 *                       goes on); later, the request is refused with 408 and does not reach the service
 * @param requestHeadTimeout longest a connection may take to send a whole request head (request line and headers)
 *                       after it opened or its last answer ended; later, it is closed ({@code RequestHeadDeadline})
 */
@ConfigurationProperties("nhsv2.gateway")
public record GatewayProperties(
        @DefaultValue Cors cors,
        @DefaultValue RateLimit rateLimit,
        @DefaultValue("64KB") DataSize maxRequestSize,
        @DefaultValue("10s") Duration routeTimeout,
        @DefaultValue("5s") Duration retryAfter,
        @DefaultValue("2s") Duration issuerTimeout,
        @DefaultValue IssuerKeys issuerKeys,
        @DefaultValue("10s") Duration requestBodyTimeout,
        @DefaultValue("30s") Duration requestHeadTimeout) {

    public GatewayProperties {
        if (requestBodyTimeout == null || requestBodyTimeout.isNegative() || requestBodyTimeout.isZero()) {
            throw new IllegalArgumentException("nhsv2.gateway.request-body-timeout must be positive");
        }
        if (requestHeadTimeout == null || requestHeadTimeout.isNegative() || requestHeadTimeout.isZero()) {
            throw new IllegalArgumentException("nhsv2.gateway.request-head-timeout must be positive");
        }
    }

    public record Cors(@DefaultValue("http://localhost:3000") List<String> allowedOrigins) {
    }

    /**
     * @param replenishRate        tokens added per second to a caller's bucket (a user's, or an anonymous address's)
     * @param burstCapacity        most tokens a caller can hold, i.e. the largest burst
     * @param addressReplenishRate tokens added per second to an address's bucket, which every request from it spends
     *                             before its token is checked: room for many users behind one address
     * @param addressBurstCapacity most tokens an address can hold
     * @param keyPrefix            namespace of the Redis keys, so gateways (or test runs) sharing a Redis don't collide
     * @param timeout              longest a request waits for Redis's verdict; after that it goes through unlimited
     *                             (losing the limit beats losing the API), so a hung or unreachable Redis costs each
     *                             request at most this long
     */
    public record RateLimit(
            @DefaultValue("50") int replenishRate,
            @DefaultValue("100") int burstCapacity,
            @DefaultValue("500") int addressReplenishRate,
            @DefaultValue("1000") int addressBurstCapacity,
            @DefaultValue("nhsv2-gateway") String keyPrefix,
            @DefaultValue("250ms") Duration timeout) {

        public RateLimit {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("nhsv2.gateway.rate-limit.timeout must be positive");
            }
            if (replenishRate < 1 || burstCapacity < replenishRate) {
                throw new IllegalArgumentException("nhsv2.gateway.rate-limit.replenish-rate must be at least 1, and"
                        + " burst-capacity at least that");
            }
            if (addressReplenishRate < 1 || addressBurstCapacity < addressReplenishRate) {
                throw new IllegalArgumentException("nhsv2.gateway.rate-limit.address-replenish-rate must be at least"
                        + " 1, and address-burst-capacity at least that");
            }
        }
    }

    /**
     * @param refreshAfter how old the known key set may get before it is fetched again; a key the issuer has removed
     *                     (rotated out, perhaps compromised) is refused at the latest this long after its removal. If
     *                     the issuer does not answer, the known keys keep serving
     * @param minRefetch   an unknown key id is looked up at the issuer only if the last successful fetch is older than
     *                     this (made-up key ids cannot flood the issuer); younger, it is simply unknown (401). After a
     *                     failed fetch the issuer is not asked again for this long (503 at once)
     */
    public record IssuerKeys(@DefaultValue("5m") Duration refreshAfter, @DefaultValue("30s") Duration minRefetch) {

        public IssuerKeys {
            if (refreshAfter == null || refreshAfter.isNegative() || refreshAfter.isZero()) {
                throw new IllegalArgumentException("nhsv2.gateway.issuer-keys.refresh-after must be positive");
            }
            if (minRefetch == null || minRefetch.isNegative()) {
                throw new IllegalArgumentException("nhsv2.gateway.issuer-keys.min-refetch must not be negative");
            }
        }
    }
}
