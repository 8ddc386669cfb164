package org.nhsv2.appointment.query;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import jakarta.annotation.PostConstruct;
import org.nhsv2.appointment.config.CacheSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.util.SafeEncoder;

import java.io.IOException;
import java.net.URI;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A facility's appointments of one local day, in Redis, shared by every instance. Each day has a
 * generation counter: eviction bumps it, and a reader stores what it loaded only if the generation
 * is still the one it saw before loading, so a slow reader can never put back a day that a
 * concurrent change has already evicted. Entries also expire, as a safety net.
 *
 * <p>The cache is optional. When Redis fails to answer, every read goes to the database and the days
 * that changes touched are remembered; a probe every {@link CacheSettings#retryAfter()} brings the
 * cache back once Redis answers, evicting the remembered days first, so that no day changed during
 * the outage is ever read from the cache.
 */
@Component
class FacilityDayCache {

    private static final Logger log = LoggerFactory.getLogger(FacilityDayCache.class);
    /** Past this many remembered days, recovery evicts every facility day instead. */
    private static final int MAX_PENDING_EVICTIONS = 10_000;
    private static final TypeReference<List<AppointmentRow>> ROWS = new TypeReference<>() {
    };
    private static final byte[] PUT_IF_GENERATION_UNCHANGED = SafeEncoder.encode("""
            if (redis.call('get', KEYS[1]) or '') == ARGV[1] then
              redis.call('set', KEYS[2], ARGV[2], 'PX', ARGV[3])
              return 1
            end
            return 0""");

    private record FacilityDay(UUID facilityId, LocalDate day) {
    }

    private final JedisPooled redis;
    /** A day's rows as UTF-8 JSON bytes, read and written without a string between them and Redis. */
    private final ObjectReader rowsReader;
    private final ObjectWriter rowsWriter;
    private final CacheSettings settings;
    private final Set<FacilityDay> pendingEvictions = ConcurrentHashMap.newKeySet();
    private volatile boolean available = true;
    private volatile boolean evictEverything;

    FacilityDayCache(JedisPooled redis, ObjectMapper json, CacheSettings settings) {
        this.redis = redis;
        this.rowsReader = json.readerFor(ROWS);
        this.rowsWriter = json.writerFor(ROWS);
        this.settings = settings;
    }

    List<AppointmentRow> getOrLoad(UUID facilityId, LocalDate day, Supplier<List<AppointmentRow>> loader) {
        if (!available) {
            return loader.get();
        }
        byte[] rowsKey = SafeEncoder.encode(rowsKey(facilityId, day));
        byte[] generationKey = SafeEncoder.encode(generationKey(facilityId, day));
        byte[] generation;
        try {
            byte[] cached = redis.get(rowsKey);
            if (cached != null) {
                return rowsReader.readValue(cached);
            }
            byte[] seen = redis.get(generationKey);
            generation = seen == null ? new byte[0] : seen;
        } catch (RuntimeException | IOException e) {
            failed("reading facility day " + day, e);
            return loader.get();
        }
        List<AppointmentRow> rows = loader.get();
        try {
            redis.eval(PUT_IF_GENERATION_UNCHANGED, List.of(generationKey, rowsKey), List.of(generation,
                    rowsWriter.writeValueAsBytes(rows), SafeEncoder.encode(Long.toString(settings.ttl().toMillis()))));
        } catch (RuntimeException | IOException e) {
            failed("caching facility day " + day, e);
        }
        return rows;
    }

    /** Runs after the projection's commit; while Redis is unreachable the days wait for its return. */
    void evict(UUID facilityId, Collection<LocalDate> days) {
        if (available) {
            try {
                evictNow(facilityId, days);
                return;
            } catch (RuntimeException e) {
                failed("evicting facility " + facilityId + " days " + days, e);
            }
        }
        remember(facilityId, days);
    }

    /**
     * Empties the facility days before the service reads or writes any. A day's eviction runs after the view's
     * commit: an instance killed between the two left a cached day that no longer matches the view, and the
     * eviction it owed died with it; its next start owes it instead. While Redis does not answer, the probe does
     * it before the cache is used again.
     */
    @PostConstruct
    void emptyOnStart() {
        try {
            evictAll();
        } catch (RuntimeException e) {
            evictEverything = true;
            failed("emptying it at the start", e);
        }
    }

    void evictAll() {
        ScanParams pattern = new ScanParams().match(settings.keyPrefix() + "facility-day:*").count(1000);
        ScanResult<String> page;
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            page = redis.scan(cursor, pattern);
            if (!page.getResult().isEmpty()) {
                redis.del(page.getResult().toArray(String[]::new));
            }
            cursor = page.getCursor();
        } while (!page.isCompleteIteration());
    }

    boolean isCached(UUID facilityId, LocalDate day) {
        return redis.exists(rowsKey(facilityId, day));
    }

    boolean isAvailable() {
        return available;
    }

    int pendingEvictions() {
        return pendingEvictions.size();
    }

    /**
     * Asks Redis whether it answers; if it does, evicts what changed meanwhile, then uses the cache
     * again. Also notices an outage while no request uses the cache, so health tells the truth.
     */
    @Scheduled(fixedDelayString = "${nhsv2.cache.retry-after:5s}")
    void probe() {
        try {
            if (evictEverything) {
                evictAll();
                evictEverything = false;
                pendingEvictions.clear();
            }
            for (FacilityDay pending : pendingEvictions) {
                evictNow(pending.facilityId(), List.of(pending.day()));
                pendingEvictions.remove(pending);
            }
            redis.exists(settings.keyPrefix() + "probe");
        } catch (RuntimeException e) {
            failed("probing", e);
            return;
        }
        if (!available) {
            available = true;
            log.info("Facility day cache is back: Redis at {} answers", redisHost());
        }
    }

    private void remember(UUID facilityId, Collection<LocalDate> days) {
        if (pendingEvictions.size() + days.size() > MAX_PENDING_EVICTIONS) {
            evictEverything = true;
            return;
        }
        days.forEach(day -> pendingEvictions.add(new FacilityDay(facilityId, day)));
    }

    private void failed(String what, Exception e) {
        // The idle connections may lead to a server that is gone: the probe should open a new one.
        redis.getPool().clear();
        if (available) {
            available = false;
            log.warn("Facility day cache unavailable ({}): reading the database until Redis at {} answers again: {}",
                    what, redisHost(), e.toString());
        }
    }

    /** Host and port only: an address may carry a password. */
    private String redisHost() {
        URI address = URI.create(settings.redisAddress());
        return address.getHost() + ":" + address.getPort();
    }

    private void evictNow(UUID facilityId, Collection<LocalDate> days) {
        try (Pipeline batch = redis.pipelined()) {
            for (LocalDate day : days) {
                String generationKey = generationKey(facilityId, day);
                batch.incr(generationKey);
                // The counter must outlive any entry written under it.
                batch.pexpire(generationKey, settings.ttl().multipliedBy(2).toMillis());
                batch.del(rowsKey(facilityId, day));
            }
            batch.sync();
        }
    }

    // The hash tag keeps both keys of a day in one slot, as a Lua script on a Redis cluster needs.
    private String rowsKey(UUID facilityId, LocalDate day) {
        return settings.keyPrefix() + "facility-day:{" + facilityId + ":" + day + "}:rows";
    }

    private String generationKey(UUID facilityId, LocalDate day) {
        return settings.keyPrefix() + "facility-day:{" + facilityId + ":" + day + "}:generation";
    }
}
