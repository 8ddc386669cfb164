package org.nhsv2.appointment.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nhsv2.appointment.config.CacheSettings;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import redis.clients.jedis.JedisPooled;

import java.time.Duration;
import java.time.LocalDate;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A day's eviction runs after the view's commit: an instance killed between the two leaves a cached day that no
 * longer matches the view, and the eviction it owed dies with it. Here days cached before the cache's bean is made
 * (under key prefixes of this test's own, in the shared Redis) stand for them: making it empties its own.
 */
class CacheAtStartIT {

    private static final UUID FACILITY = UUID.fromString("f0000000-0000-0000-0000-00000000000a");
    private static final LocalDate DAY = LocalDate.of(2027, 1, 4);

    private final String prefix = "nhsv2:test:cache-at-start:" + UUID.randomUUID() + ":";
    private final String otherPrefix = "nhsv2:test:cache-at-start:" + UUID.randomUUID() + ":";
    private final JedisPooled redis = new JedisPooled("127.0.0.1", 6379);

    @AfterEach
    void cleanUp() {
        redis.del(key(prefix), key(otherPrefix));
        redis.close();
    }

    @Test
    void shouldEmptyItsFacilityDaysWhenItIsMadeAndNoOneElses() {
        redis.set(key(prefix), "[]");
        redis.set(key(otherPrefix), "[]");
        CacheSettings settings = new CacheSettings("redis://127.0.0.1:6379", prefix, Duration.ofMinutes(5),
                Duration.ofSeconds(5));

        new ApplicationContextRunner()
                .withBean(FacilityDayCache.class, () -> new FacilityDayCache(redis, new ObjectMapper(), settings))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(FacilityDayCache.class).isCached(FACILITY, DAY)).isFalse();
                });

        assertThat(redis.exists(key(prefix))).as("the day left by the instance before").isFalse();
        assertThat(redis.exists(key(otherPrefix))).as("another service's or test's day").isTrue();
    }

    private static String key(String prefix) {
        return prefix + "facility-day:{" + FACILITY + ":" + DAY + "}:rows";
    }
}
