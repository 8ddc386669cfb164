package org.nhsv2.platform.vault;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import javax.crypto.SecretKey;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Master-key rotation: at start-up, every data key still wrapped with a previous master key (or not
 * wrapped at all, as stored before wrapping existed) is re-wrapped with the current one, in small
 * transactions that skip rows another instance is re-wrapping. The partitions are then rewritten, so
 * the old wrappings leave the database files too. A key wrapped with a master key that is not
 * configured stops the start: the service would otherwise fail later, on that patient's data.
 */
class DataKeyRewrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DataKeyRewrap.class);
    private static final int BATCH = 500;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final MasterKeys masterKeys;

    DataKeyRewrap(JdbcTemplate jdbc, TransactionTemplate transactions, MasterKeys masterKeys) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.masterKeys = masterKeys;
    }

    @Override
    public void run(ApplicationArguments args) {
        int total = 0;
        for (int rewrapped = rewrapBatch(); rewrapped > 0; rewrapped = rewrapBatch()) {
            total += rewrapped;
        }
        if (total > 0) {
            log.info("Re-wrapped {} patient data keys with master key {}", total, masterKeys.current().id());
        }
    }

    /** Returns how many keys it re-wrapped. */
    int rewrapBatch() {
        Integer done = transactions.execute(status -> {
            MasterKey current = masterKeys.current();
            List<Map<String, Object>> rows = jdbc.queryForList("""
                    select patient_id, key_id, wrapped_key, master_key_id, tableoid::regclass::text as part
                    from patient_data_key where master_key_id <> ? limit ? for update skip locked""",
                    current.id(), BATCH);
            Set<String> partitions = new TreeSet<>();
            for (Map<String, Object> row : rows) {
                UUID patientId = (UUID) row.get("patient_id");
                UUID keyId = (UUID) row.get("key_id");
                SecretKey key = masterKeys.unwrap(patientId, keyId, (byte[]) row.get("wrapped_key"), (String) row.get("master_key_id"));
                jdbc.update("update patient_data_key set wrapped_key = ?, master_key_id = ? where patient_id = ?",
                        current.wrap(patientId, keyId, key), current.id(), patientId);
                partitions.add((String) row.get("part"));
            }
            partitions.forEach(part -> jdbc.update("insert into data_key_shred_request (partition_name) values (?)", part));
            return rows.size();
        });
        return done == null ? 0 : done;
    }
}
