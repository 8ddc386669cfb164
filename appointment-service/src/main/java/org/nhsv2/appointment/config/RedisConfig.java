package org.nhsv2.appointment.config;

import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class RedisConfig {

    /**
     * The cache is optional: the client connects on first use, not at start-up, so the service starts
     * and serves from the database while Redis is unreachable, and uses it once it answers. Short
     * timeouts and no retries: a cache that does not answer at once is better skipped.
     */
    @Bean(destroyMethod = "shutdown")
    RedissonClient redisson(CacheSettings settings) {
        Config config = new Config();
        config.setLazyInitialization(true);
        // Small pools: the cache sees a handful of commands per request.
        config.useSingleServer()
                .setAddress(settings.redisAddress())
                .setConnectionMinimumIdleSize(2)
                .setConnectionPoolSize(16)
                .setSubscriptionConnectionMinimumIdleSize(0)
                .setConnectTimeout(500)
                .setTimeout(500)
                .setRetryAttempts(0);
        config.setThreads(2);
        config.setNettyThreads(4);
        return Redisson.create(config);
    }
}
