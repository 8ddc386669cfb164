package org.nhsv2.platform.vault;

import org.junit.jupiter.api.Test;
import org.nhsv2.platform.PlatformDatabase;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Array;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A day's patients' keys are found together, each by an index probe in its own partition, whatever the number of
 * keys stored: not by testing every row of every partition that holds one of them against the whole list.
 */
class PatientDataKeysIT {

    @Test
    void shouldFindEachPatientsKeyByItsOwnIndexProbe() {
        PlatformDatabase.runner().run(context -> {
            PatientDataKeys keys = context.getBean(PatientDataKeys.class);
            TransactionTemplate transactions = context.getBean(TransactionTemplate.class);
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            List<UUID> patients = new ArrayList<>();
            transactions.executeWithoutResult(status -> {
                for (int i = 0; i < 3_000; i++) {
                    UUID patient = UUID.randomUUID();
                    keys.getOrCreate(patient);
                    patients.add(patient);
                }
            });
            List<UUID> day = new ArrayList<>(patients.subList(0, 30));
            UUID withoutKey = UUID.randomUUID();
            day.add(withoutKey);

            Map<UUID, DataKey> found = keys.findAll(day);

            assertThat(found).containsOnlyKeys(patients.subList(0, 30));
            for (UUID patient : patients.subList(0, 30)) {
                assertThat(found.get(patient).id()).isEqualTo(jdbc.queryForObject(
                        "select key_id from patient_data_key where patient_id = ?", UUID.class, patient));
            }
            // The plan's shape, whatever the partitions' statistics: partitions left small by earlier tests (and
            // rewritten by the shredder, which counts their rows) are rightly read whole by the planner, as a
            // database reused between runs showed; a store's real partitions are not small.
            String plan = transactions.execute(status -> {
                jdbc.execute("set local enable_seqscan = off");
                return String.join("\n", jdbc.query("explain (analyze, costs off) " + PatientDataKeys.FIND_ALL,
                        statement -> statement.setArray(1, uuids(statement.getConnection(), day)),
                        (row, number) -> row.getString(1)));
            });
            assertThat(plan).contains("Index Scan using patient_data_key_p")
                    .contains("Index Cond: (patient_id = wanted.patient_id)").doesNotContain("= ANY")
                    .doesNotContain("Seq Scan").doesNotContain("Rows Removed by Filter");

            // One patient, as a booking asks for: one partition, not the 32 the array's lookup sets up.
            UUID patient = patients.get(42);
            assertThat(keys.find(patient)).map(DataKey::id).contains(jdbc.queryForObject(
                    "select key_id from patient_data_key where patient_id = ?", UUID.class, patient));
            assertThat(keys.find(withoutKey)).isEmpty();
            List<String> onePlan = jdbc.queryForList("explain (costs off) " + PatientDataKeys.FIND_ONE, String.class,
                    patient);
            assertThat(onePlan).filteredOn(line -> line.contains("patient_data_key_p")).hasSize(1);
        });
    }

    private static Array uuids(java.sql.Connection connection, List<UUID> ids) throws java.sql.SQLException {
        return connection.createArrayOf("uuid", ids.toArray());
    }
}
