package org.nhsv2.platform.vault;

import org.junit.jupiter.api.Test;
import org.nhsv2.platform.PlatformDatabase;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * After an erasure no byte of the destroyed key is left in the key table's pages: not as a live row,
 * not as a dead tuple, not in a page's free space. Read with pageinspect, which sees what a copy of the
 * database files would hold.
 */
class DataKeyShreddingIT {

    /** Every block of every partition of patient_data_key holding the bytes. */
    private static final String PAGES_CONTAINING = """
            select c.relname || ' block ' || b.blk from pg_inherits i
            join pg_class c on c.oid = i.inhrelid
            cross join lateral generate_series(0, pg_relation_size(c.oid) / current_setting('block_size')::int - 1) b(blk)
            where i.inhparent = 'patient_data_key'::regclass
              and position(?::bytea in get_raw_page(c.relname::text, b.blk::int)) > 0""";

    @Test
    void shouldLeaveNoByteOfAnErasedPatientsKeyInTheKeyTablesPagesWithinAMinute() {
        PlatformDatabase.runner().run(context -> {
            PatientDataKeys keys = context.getBean(PatientDataKeys.class);
            TransactionTemplate transactions = context.getBean(TransactionTemplate.class);
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            JdbcTemplate admin = PlatformDatabase.admin();
            try {
                admin.execute("create extension if not exists pageinspect");
                // Older rows in every partition keep the erased key's page in use: on a page of its own, even a
                // plain VACUUM would truncate it away, and this test could not tell the two apart.
                for (int i = 0; i < 160; i++) {
                    transactions.executeWithoutResult(status -> keys.getOrCreate(UUID.randomUUID()));
                }
                UUID patient = UUID.randomUUID();
                transactions.executeWithoutResult(status -> keys.getOrCreate(patient));
                byte[] wrappedKey = jdbc.queryForObject("select wrapped_key from patient_data_key where patient_id = ?",
                        byte[].class, patient);
                assertThat(pagesContaining(admin, wrappedKey)).as("the search finds the stored key").hasSize(1);

                Optional<UUID> destroyed = transactions.execute(status -> keys.destroy(patient));
                assertThat(destroyed).isPresent();

                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .untilAsserted(() -> assertThat(pagesContaining(admin, wrappedKey)).isEmpty());
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                        jdbc.queryForObject("select count(*) from data_key_shred_request", Integer.class)).isZero());
            } finally {
                ((SingleConnectionDataSource) admin.getDataSource()).destroy();
            }
        });
    }

    private static List<String> pagesContaining(JdbcTemplate admin, byte[] bytes) {
        return admin.queryForList(PAGES_CONTAINING, String.class, (Object) bytes);
    }
}
