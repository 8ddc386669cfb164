package org.nhsv2.appointment.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.nhsv2.appointment.config.CacheSettings;
import org.redisson.api.RBatch;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A facility's appointments of one local day, in Redis, shared by every instance. Each day has a
 * generation counter: eviction bumps it, and a reader stores what it loaded only if the generation
 * is still the one it saw before loading, so a slow reader can never put back a day that a
 * concurrent change has already evicted. Entries also expire, as a safety net.
 */
@Component
class FacilityDayCache {

    private static final Logger log = LoggerFactory.getLogger(FacilityDayCache.class);
    private static final TypeReference<List<AppointmentRow>> ROWS = new TypeReference<>() {
    };
    private static final String PUT_IF_GENERATION_UNCHANGED = """
            if (redis.call('get', KEYS[1]) or '') == ARGV[1] then
              redis.call('set', KEYS[2], ARGV[2], 'PX', ARGV[3])
              return 1
            end
            return 0""";

    private final RedissonClient redis;
    private final ObjectMapper json;
    private final CacheSettings settings;

    FacilityDayCache(RedissonClient redis, ObjectMapper json, CacheSettings settings) {
        this.redis = redis;
        this.json = json;
        this.settings = settings;
    }

    List<AppointmentRow> getOrLoad(UUID facilityId, LocalDate day, Supplier<List<AppointmentRow>> loader) {
        String rowsKey = rowsKey(facilityId, day);
        String generationKey = generationKey(facilityId, day);
        String generation;
        try {
            String cached = redis.<String>getBucket(rowsKey, StringCodec.INSTANCE).get();
            if (cached != null) {
                return json.readValue(cached, ROWS);
            }
            String seen = redis.<String>getBucket(generationKey, StringCodec.INSTANCE).get();
            generation = seen == null ? "" : seen;
        } catch (RuntimeException | JsonProcessingException e) {
            log.warn("Facility day cache unavailable, reading the database: {}", e.toString());
            return loader.get();
        }
        List<AppointmentRow> rows = loader.get();
        try {
            redis.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, PUT_IF_GENERATION_UNCHANGED,
                    RScript.ReturnType.INTEGER, List.of(generationKey, rowsKey),
                    generation, json.writeValueAsString(rows), Long.toString(settings.ttl().toMillis()));
        } catch (RuntimeException | JsonProcessingException e) {
            log.warn("Could not cache facility day {} {}: {}", facilityId, day, e.toString());
        }
        return rows;
    }

    /** Runs after the projection's commit; if Redis is unreachable the days expire by TTL instead. */
    void evict(UUID facilityId, Collection<LocalDate> days) {
        try {
            evictNow(facilityId, days);
        } catch (RuntimeException e) {
            log.warn("Could not evict facility {} days {}; they expire within {}: {}", facilityId, days, settings.ttl(),
                    e.toString());
        }
    }

    private void evictNow(UUID facilityId, Collection<LocalDate> days) {
        RBatch batch = redis.createBatch();
        for (LocalDate day : days) {
            String generationKey = generationKey(facilityId, day);
            batch.getAtomicLong(generationKey).incrementAndGetAsync();
            // The counter must outlive any entry written under it.
            batch.getAtomicLong(generationKey).expireAsync(settings.ttl().multipliedBy(2));
            batch.getBucket(rowsKey(facilityId, day)).deleteAsync();
        }
        batch.execute();
    }

    void evictAll() {
        redis.getKeys().deleteByPattern(settings.keyPrefix() + "facility-day:*");
    }

    boolean isCached(UUID facilityId, LocalDate day) {
        return redis.getBucket(rowsKey(facilityId, day), StringCodec.INSTANCE).isExists();
    }

    // The hash tag keeps both keys of a day in one slot, as a Lua script on a Redis cluster needs.
    private String rowsKey(UUID facilityId, LocalDate day) {
        return settings.keyPrefix() + "facility-day:{" + facilityId + ":" + day + "}:rows";
    }

    private String generationKey(UUID facilityId, LocalDate day) {
        return settings.keyPrefix() + "facility-day:{" + facilityId + ":" + day + "}:generation";
    }
}
