package org.nhsv2.platform.eventstore;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Axon's saga store looks {@code association_value_entry} up two ways: a saga's associations by its id (each time it
 * loads the saga) and the sagas of an association (each event). Each must take its own index even on a table that has
 * never been analysed: a pooled connection keeps the plan it made while the table was empty, and a server with
 * autovacuum off never analyses. Led by the saga type that every row shares, the association index once won the
 * first lookup too, and each saga load read every row (45 ms at 50,000).
 */
class SagaAssociationsIT {

    private static final EventStoreSchema SCHEMA = new EventStoreSchema("saga_associations_it");
    private static final int ROWS = 20_000;

    @BeforeAll
    static void freshSchema() {
        SCHEMA.drop();
        SCHEMA.migrate();
    }

    @AfterAll
    static void dropSchema() {
        SCHEMA.drop();
    }

    @Test
    void shouldFindBySagaAndByAssociationThroughTheirOwnIndexesWithoutStatistics() {
        SCHEMA.withJdbc(jdbc -> {
            // Axon's two statements, planned once on the empty table as a long-lived connection would
            jdbc.execute("set plan_cache_mode = force_generic_plan");
            jdbc.execute("prepare by_saga(varchar, varchar) as select association_key, association_value"
                    + " from association_value_entry where saga_id = $1 and saga_type = $2");
            jdbc.execute("prepare by_association(varchar, varchar, varchar) as select saga_id"
                    + " from association_value_entry where association_key = $1 and association_value = $2"
                    + " and saga_type = $3");
            assertThat(plan(jdbc, "execute by_saga('none', 'Confirmation')")).isNotEmpty();
            assertThat(plan(jdbc, "execute by_association('appointmentId', 'none', 'Confirmation')")).isNotEmpty();
            jdbc.update("insert into association_value_entry (association_key, association_value, saga_id, saga_type)"
                    + " select 'appointmentId', 'appointment-' || n, 'saga-' || n, 'Confirmation'"
                    + " from generate_series(1, " + ROWS + ") n");

            List<String> bySaga = plan(jdbc, "execute by_saga('saga-7', 'Confirmation')");
            assertThat(bySaga).as(String.join("\n", bySaga))
                    .anyMatch(line -> line.contains("Index Scan using association_value_entry_saga_idx"))
                    .noneMatch(line -> line.contains("Rows Removed by Filter"));
            assertThat(jdbc.queryForList("execute by_saga('saga-7', 'Confirmation')")).hasSize(1);

            List<String> byAssociation = plan(jdbc, "execute by_association('appointmentId', 'appointment-7', 'Confirmation')");
            assertThat(byAssociation).as(String.join("\n", byAssociation))
                    .anyMatch(line -> line.contains("Index Scan using association_value_entry_association_idx"))
                    .noneMatch(line -> line.contains("Rows Removed by Filter"));
            assertThat(jdbc.queryForList("execute by_association('appointmentId', 'appointment-7', 'Confirmation')",
                    String.class)).containsExactly("saga-7");
        });
    }

    private static List<String> plan(JdbcTemplate jdbc, String statement) {
        return jdbc.queryForList("explain (analyze, costs off, timing off, summary off) " + statement, String.class);
    }
}
