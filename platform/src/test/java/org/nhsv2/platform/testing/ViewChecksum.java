package org.nhsv2.platform.testing;

import org.springframework.jdbc.core.JdbcTemplate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a projection's tables hold, summed up by PostgreSQL: per table the row count and an md5 over every
 * row's text, in key order. Two equal checksums are two views that read the same, row by row and column by
 * column.
 *
 * @param rows per table (in the order given), its row count
 * @param md5  over the tables' own md5s, in that order
 */
public record ViewChecksum(Map<String, Long> rows, String md5) {

    /** {@code tables}: each table's name and the columns that order its rows (a key, so the order is total). */
    public static ViewChecksum of(JdbcTemplate jdbc, Map<String, String> tables) {
        Map<String, Long> rows = new LinkedHashMap<>();
        StringBuilder sums = new StringBuilder();
        tables.forEach((table, orderBy) -> {
            Map<String, Object> sum = jdbc.queryForMap("select count(*) as n, md5(coalesce(string_agg(t::text, E'\\n'"
                    + " order by " + orderBy + "), '')) as md5 from " + table + " t");
            rows.put(table, ((Number) sum.get("n")).longValue());
            sums.append(sum.get("md5"));
        });
        return new ViewChecksum(rows, jdbc.queryForObject("select md5(?)", String.class, sums.toString()));
    }

    public long totalRows() {
        return rows.values().stream().mapToLong(Long::longValue).sum();
    }
}
