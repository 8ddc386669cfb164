package org.nhsv2.gateway.config;

import org.springframework.cloud.gateway.filter.ratelimit.RedisRateLimiter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Spring Cloud Gateway's Redis token bucket (its Lua script, atomic across gateway instances), sized from our settings. */
@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

    @Bean
    RedisRateLimiter redisRateLimiter(GatewayProperties properties) {
        RedisRateLimiter limiter = new RedisRateLimiter(properties.rateLimit().replenishRate(),
                properties.rateLimit().burstCapacity());
        // X-RateLimit-* headers would tell every caller our limits; Retry-After on the 429 is enough.
        limiter.setIncludeHeaders(false);
        return limiter;
    }
}
