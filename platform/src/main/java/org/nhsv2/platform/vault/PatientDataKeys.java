package org.nhsv2.platform.vault;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One AES-256 data key per patient in {@code patient_data_key}, wrapped with the master key, with an
 * id that sealed values name, so a key created after an erasure can never be mistaken for the erased
 * one. Deliberately not cached in memory: an erasure on one instance must take effect on every
 * instance at once.
 *
 * <p>Creating, using for sealing and destroying a patient's key all take the patient's lock for the
 * rest of the caller's transaction. So an erasure waits for a booking that is sealing with the
 * patient's key (and then erases what it wrote), or the booking waits for the erasure (and then
 * seals with a new key, after the erasure in the history): never a booking that outlives the erasure
 * of the key it used.
 */
class PatientDataKeys {

    /**
     * Each patient's key by its own index probe, in the one partition that can hold it. The obvious {@code where
     * patient_id in (...)} prunes to the partitions holding any of the patients, then, in each, tests every row
     * against the whole list: the planner takes a sequential scan, as a partition is small beside a list of a
     * day's patients. With 35,000 keys that was 2-3 ms of PostgreSQL's CPU per facility-day listing, planning
     * included (one statement text per list length), growing with the number of patients. Here the list is one
     * array parameter (one statement, planned once) and the lateral subquery, kept apart by {@code offset 0}, is
     * run per patient with the partition chosen at run time. That choice sets up the scans of all 32 partitions
     * (0.39 ms against 0.12 ms for one patient by {@link #FIND_ONE}, prepared, on the same table), so one patient,
     * as a booking and an email ask for, is found by {@link #FIND_ONE}.
     */
    static final String FIND_ALL = """
            select k.patient_id, k.key_id, k.wrapped_key, k.master_key_id
            from unnest(?::uuid[]) as wanted(patient_id)
            cross join lateral (select patient_id, key_id, wrapped_key, master_key_id from patient_data_key
                                where patient_id = wanted.patient_id offset 0) k""";
    /** One patient's key: the partition is chosen when the statement is planned or starts. */
    static final String FIND_ONE =
            "select patient_id, key_id, wrapped_key, master_key_id from patient_data_key where patient_id = ?";

    private final JdbcTemplate jdbc;
    private final MasterKeys masterKeys;

    PatientDataKeys(JdbcTemplate jdbc, MasterKeys masterKeys) {
        this.jdbc = jdbc;
        this.masterKeys = masterKeys;
    }

    /**
     * Takes the patient's lock, then finds or creates the key; in the caller's transaction. Two statements, not one:
     * a statement reads from a snapshot taken before it waits for the lock, so a lookup that took the lock itself
     * would still see a key that an erasure deleted while it waited.
     */
    DataKey getOrCreate(UUID patientId) {
        lock(patientId);
        return find(patientId).orElseGet(() -> create(patientId));
    }

    /**
     * Takes the patient's lock and deletes the key. The partition that held it is queued for
     * rewriting, so the deleted row leaves the database files too ({@link DataKeyShredder}).
     *
     * @return the id of the destroyed key; empty if the patient had none
     */
    Optional<UUID> destroy(UUID patientId) {
        lock(patientId);
        List<Map<String, Object>> deleted = jdbc.queryForList(
                "delete from patient_data_key where patient_id = ? returning key_id, tableoid::regclass::text as part",
                patientId);
        if (deleted.isEmpty()) {
            return Optional.empty();
        }
        jdbc.update("insert into data_key_shred_request (partition_name) values (?)", deleted.get(0).get("part"));
        return Optional.of((UUID) deleted.get(0).get("key_id"));
    }

    Optional<DataKey> find(UUID patientId) {
        return Optional.ofNullable(findAll(List.of(patientId)).get(patientId));
    }

    Map<UUID, DataKey> findAll(Collection<UUID> patientIds) {
        Map<UUID, DataKey> keys = new HashMap<>();
        if (patientIds.isEmpty()) {
            return keys;
        }
        boolean one = patientIds.size() == 1;
        AesGcm.Opener unwrapping = new AesGcm.Opener();
        jdbc.query(one ? FIND_ONE : FIND_ALL, statement -> statement.setObject(1, one ? patientIds.iterator().next()
                : statement.getConnection().createArrayOf("uuid", patientIds.toArray())), rs -> {
                    UUID patientId = rs.getObject("patient_id", UUID.class);
                    UUID keyId = rs.getObject("key_id", UUID.class);
                    keys.put(patientId, new DataKey(keyId, masterKeys.unwrap(patientId, keyId,
                            rs.getBytes("wrapped_key"), rs.getString("master_key_id"), unwrapping)));
                });
        return keys;
    }

    private DataKey create(UUID patientId) {
        UUID keyId = UUID.randomUUID();
        SecretKey key = new SecretKeySpec(AesGcm.randomKey(), "AES");
        MasterKey master = masterKeys.current();
        jdbc.update("insert into patient_data_key (patient_id, key_id, wrapped_key, master_key_id) values (?, ?, ?, ?)",
                patientId, keyId, master.wrap(patientId, keyId, key), master.id());
        return new DataKey(keyId, key);
    }

    /**
     * A transaction-scoped advisory lock on the patient. Outside a transaction it would be released at
     * once and protect nothing, so that is refused.
     */
    void lock(UUID patientId) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("a patient is locked for a transaction, and none is active");
        }
        jdbc.query("select pg_advisory_xact_lock(?, ?)", rs -> null, PersonalDataVault.PATIENT_LOCK_NAMESPACE,
                patientId.hashCode());
    }
}
