package org.nhsv2.appointment.config;

import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class RedisConfig {

    @Bean(destroyMethod = "shutdown")
    RedissonClient redisson(CacheSettings settings) {
        Config config = new Config();
        // Small pools: the cache sees a handful of commands per request.
        config.useSingleServer()
                .setAddress(settings.redisAddress())
                .setConnectionMinimumIdleSize(2)
                .setConnectionPoolSize(16)
                .setSubscriptionConnectionMinimumIdleSize(0)
                .setTimeout(1000)
                .setRetryAttempts(1);
        config.setThreads(2);
        config.setNettyThreads(4);
        return Redisson.create(config);
    }
}
