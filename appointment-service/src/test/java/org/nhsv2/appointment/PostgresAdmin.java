package org.nhsv2.appointment;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * A superuser connection to the test database, for what the service's own role may not do: reading
 * raw pages with pageinspect. The local servers that script/test uses trust local connections; point
 * {@code NHSV2_TEST_DB_ADMIN_USER} (and {@code NHSV2_TEST_DB_ADMIN_PASSWORD}) elsewhere if yours differ.
 */
public final class PostgresAdmin {

    private PostgresAdmin() {
    }

    public static JdbcTemplate connect() {
        String url = System.getenv().getOrDefault("NHSV2_TEST_DB_URL",
                "jdbc:postgresql://127.0.0.1:5432/nhsv2_appointment_test");
        SingleConnectionDataSource dataSource = new SingleConnectionDataSource(url,
                System.getenv().getOrDefault("NHSV2_TEST_DB_ADMIN_USER", "postgres"),
                System.getenv().getOrDefault("NHSV2_TEST_DB_ADMIN_PASSWORD", ""), true);
        return new JdbcTemplate(dataSource);
    }
}
