package org.nhsv2.appointment.patientdata;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import javax.crypto.spec.SecretKeySpec;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One AES-256 data key per patient in {@code patient_data_key}, with an id that sealed values
 * name, so a key created after an erasure can never be mistaken for the erased one. Deliberately
 * not cached in memory: an erasure on one instance must take effect on every instance at once.
 */
@Repository
class PatientDataKeys {

    private static final String AES = "AES";

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final SecureRandom random = new SecureRandom();

    PatientDataKeys(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
    }

    /** Runs in the caller's transaction; concurrent first bookings of a patient agree on one key. */
    DataKey getOrCreate(UUID patientId) {
        return find(patientId).orElseGet(() -> create(patientId));
    }

    private DataKey create(UUID patientId) {
        byte[] candidate = new byte[32];
        random.nextBytes(candidate);
        jdbc.update("insert into patient_data_key (patient_id, key_id, data_key) values (?, ?, ?) on conflict do nothing",
                patientId, UUID.randomUUID(), candidate);
        return find(patientId).orElseThrow(() -> new IllegalStateException("data key vanished while in use"));
    }

    Optional<DataKey> find(UUID patientId) {
        return Optional.ofNullable(findAll(List.of(patientId)).get(patientId));
    }

    Map<UUID, DataKey> findAll(Collection<UUID> patientIds) {
        Map<UUID, DataKey> keys = new HashMap<>();
        if (patientIds.isEmpty()) {
            return keys;
        }
        named.query("select patient_id, key_id, data_key from patient_data_key where patient_id in (:ids)",
                Map.of("ids", patientIds),
                rs -> {
                    keys.put(rs.getObject(1, UUID.class),
                            new DataKey(rs.getObject(2, UUID.class), new SecretKeySpec(rs.getBytes(3), AES)));
                });
        return keys;
    }

    boolean delete(UUID patientId) {
        return jdbc.update("delete from patient_data_key where patient_id = ?", patientId) > 0;
    }
}
