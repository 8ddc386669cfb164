package org.nhsv2.platform.idempotency;

import org.nhsv2.platform.api.IdempotencyKey;
import org.nhsv2.platform.vault.IdempotencyRecords;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Remembers each {@code Idempotency-Key} (per caller) with a fingerprint of the request and the id of
 * what it created, in the caller's transaction: a retry racing the original waits on the key's unique
 * index and then sees it, and a request that fails leaves no key behind. Each record names the patient
 * it is about, so an erasure can delete it.
 */
public class IdempotencyKeys implements IdempotencyRecords {

    /** What remembering a key found. */
    public sealed interface Outcome {
        /** The key is new: go ahead. */
        record First() implements Outcome {
        }

        /** The same request was made before: answer with what it created. */
        record Replay(UUID resultId) implements Outcome {
        }

        /** The key was used before for another request. */
        record Reused() implements Outcome {
        }
    }

    /** A key deleted again and again between meeting it and reading it: not a thing that happens, but never a spin. */
    private static final int MAX_TRIES = 5;

    private final JdbcTemplate jdbc;

    public IdempotencyKeys(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Outcome remember(IdempotencyKey key, String fingerprint, UUID resultId, UUID patientId) {
        for (int tries = 1; ; tries++) {
            int inserted = jdbc.update("""
                    insert into idempotency_key (caller_id, idempotency_key, request_fingerprint, result_id, patient_id)
                    values (?, ?, ?, ?, ?) on conflict (caller_id, idempotency_key) do nothing""",
                    key.callerId(), key.key(), fingerprint, resultId, patientId);
            if (inserted == 1) {
                return new Outcome.First();
            }
            List<Map<String, Object>> earlier = jdbc.queryForList(
                    "select request_fingerprint, result_id from idempotency_key where caller_id = ? and idempotency_key = ?",
                    key.callerId(), key.key());
            if (!earlier.isEmpty()) {
                return fingerprint.equals(earlier.get(0).get("request_fingerprint"))
                        ? new Outcome.Replay((UUID) earlier.get(0).get("result_id"))
                        : new Outcome.Reused();
            }
            // Deleted between the two statements (the patient's erasure, or the purge of old keys): the key is free.
            if (tries == MAX_TRIES) {
                throw new IllegalStateException("Idempotency-Key neither stored nor found in " + MAX_TRIES + " tries");
            }
        }
    }

    /**
     * Remembers a first use of the key; for a request seen before, throws what the service makes of a
     * replay (given the original result's id) or of the key reused with another request.
     */
    public void requireFirst(IdempotencyKey key, String fingerprint, UUID resultId, UUID patientId,
                             Function<UUID, ? extends RuntimeException> replay,
                             Supplier<? extends RuntimeException> reused) {
        Outcome outcome = remember(key, fingerprint, resultId, patientId);
        if (outcome instanceof Outcome.Replay earlier) {
            throw replay.apply(earlier.resultId());
        }
        if (outcome instanceof Outcome.Reused) {
            throw reused.get();
        }
    }

    @Override
    public int deleteFor(UUID patientId) {
        return jdbc.update("delete from idempotency_key where patient_id = ?", patientId);
    }

    int forgetOlderThan(Instant cutoff) {
        return jdbc.update("delete from idempotency_key where created_at < ?", Timestamp.from(cutoff));
    }
}
