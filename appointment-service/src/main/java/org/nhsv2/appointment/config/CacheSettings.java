package org.nhsv2.appointment.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * @param redisAddress Redis to use, e.g. {@code redis://127.0.0.1:6379}
 * @param keyPrefix    namespace of every key, so test runs and services never share entries
 * @param ttl          how long a cached facility day may live even if no change evicts it
 * @param retryAfter   how long the cache is skipped after Redis failed to answer, before it is tried again
 */
@ConfigurationProperties("nhsv2.cache")
public record CacheSettings(
        @DefaultValue("redis://127.0.0.1:6379") String redisAddress,
        @DefaultValue("nhsv2:appointment:") String keyPrefix,
        @DefaultValue("5m") Duration ttl,
        @DefaultValue("5s") Duration retryAfter) {
}
