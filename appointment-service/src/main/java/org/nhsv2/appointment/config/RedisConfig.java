package org.nhsv2.appointment.config;

import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisPooled;

import java.net.URI;
import java.time.Duration;

@Configuration(proxyBeanMethods = false)
class RedisConfig {

    /** Connect and answer timeouts, and the longest wait for a free connection. */
    private static final int TIMEOUT_MILLIS = 500;

    /**
     * The cache is optional: the pool opens connections on first use, not at start-up, so the service
     * starts and serves from the database while Redis is unreachable, and uses it once it answers. Short
     * timeouts and no retries: a cache that does not answer at once is better skipped.
     *
     * <p>Jedis rather than a Netty-based client: the cache's commands are a handful of short blocking
     * calls on the thread that needs the answer, so a pool of plain sockets does the job without an
     * event loop, its threads and buffers, and a hand-off per command.
     */
    @Bean(destroyMethod = "close")
    JedisPooled redis(CacheSettings settings) {
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        // Small pool: the cache sees a handful of commands per request.
        pool.setMaxTotal(16);
        pool.setMaxIdle(16);
        pool.setMinIdle(0);
        // Never queue behind a busy pool for long: the database answers instead.
        pool.setMaxWait(Duration.ofMillis(TIMEOUT_MILLIS));
        // No ping before each command; idle connections are pinged every 30 s, and a failure drops them all
        // (FacilityDayCache.failed), so a Redis restart costs one failed command, then a new connection.
        pool.setTestOnBorrow(false);
        pool.setTestWhileIdle(true);
        pool.setTimeBetweenEvictionRuns(Duration.ofSeconds(30));
        pool.setJmxEnabled(false);
        return new JedisPooled(pool, URI.create(settings.redisAddress()), TIMEOUT_MILLIS, TIMEOUT_MILLIS);
    }
}
