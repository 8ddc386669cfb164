package org.nhsv2.gateway.config;

import io.lettuce.core.ClientOptions;
import org.springframework.boot.autoconfigure.data.redis.LettuceClientOptionsBuilderCustomizer;
import org.springframework.cloud.gateway.filter.ratelimit.RedisRateLimiter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Spring Cloud Gateway's Redis token buckets (its Lua script, atomic across gateway instances), sized from our settings. */
@Configuration(proxyBeanMethods = false)
public class RateLimitConfiguration {

    /** The per-address bucket's name; every other name gets the per-caller default. */
    public static final String PER_ADDRESS = "per-address";

    @Bean
    RedisRateLimiter redisRateLimiter(GatewayProperties properties) {
        RedisRateLimiter limiter = new RedisRateLimiter(properties.rateLimit().replenishRate(),
                properties.rateLimit().burstCapacity());
        limiter.getConfig().put(PER_ADDRESS, new RedisRateLimiter.Config()
                .setReplenishRate(properties.rateLimit().addressReplenishRate())
                .setBurstCapacity(properties.rateLimit().addressBurstCapacity())
                .setRequestedTokens(1));
        // X-RateLimit-* headers would tell every caller our limits; Retry-After on the 429 is enough.
        limiter.setIncludeHeaders(false);
        return limiter;
    }

    /**
     * While its connection to Redis is down, Lettuce would queue every command until it reconnects or the command
     * times out; the rate limit has no use for a verdict that late. Refused at once, the request goes through
     * (RedisRateLimiter lets a request through when Redis fails). Lettuce still reconnects in the background.
     * Spring Boot's own options (connect timeout from {@code spring.data.redis.connect-timeout}, command timeouts
     * on) are kept: this only adds to its builder.
     */
    @Bean
    LettuceClientOptionsBuilderCustomizer rejectRedisCommandsWhileDisconnected() {
        return options -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
    }
}
