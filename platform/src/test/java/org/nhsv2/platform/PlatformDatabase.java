package org.nhsv2.platform;

import org.nhsv2.platform.idempotency.IdempotencyAutoConfiguration;
import org.nhsv2.platform.time.ClockAutoConfiguration;
import org.nhsv2.platform.vault.VaultAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.util.Base64;

/**
 * The platform's database-backed parts (vault, idempotency keys, their migrations) on the real
 * PostgreSQL that script/test provides, in a database of their own that every run recreates. No
 * service is started: the auto-configurations under test and what they need, nothing more.
 */
public final class PlatformDatabase {

    public static final String URL = System.getenv().getOrDefault("NHSV2_PLATFORM_TEST_DB_URL",
            "jdbc:postgresql://127.0.0.1:5432/nhsv2_platform_test");
    public static final String MASTER_KEY = Base64.getEncoder().encodeToString("test-master-key-one-000000000000".getBytes());

    private PlatformDatabase() {
    }

    public static ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
                        JdbcTemplateAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
                        TransactionAutoConfiguration.class, ClockAutoConfiguration.class, VaultAutoConfiguration.class,
                        IdempotencyAutoConfiguration.class))
                .withPropertyValues(
                        "spring.datasource.url=" + URL,
                        "spring.datasource.username=nhsv2_platform",
                        "spring.datasource.password=nhsv2_platform",
                        "spring.flyway.locations=classpath:db/platform",
                        "nhsv2.vault.master-key=" + MASTER_KEY,
                        "nhsv2.vault.shred-interval=1s",
                        "nhsv2.idempotency.fingerprint-secret=test-fingerprint-secret-000000000000000");
    }

    /**
     * A superuser connection to the same database, for what the service's own role may not do: reading
     * raw pages with pageinspect. The local servers script/test uses trust local connections; set
     * {@code NHSV2_TEST_DB_ADMIN_USER} (and {@code _PASSWORD}) if yours differ.
     */
    public static JdbcTemplate admin() {
        return new JdbcTemplate(new SingleConnectionDataSource(URL,
                System.getenv().getOrDefault("NHSV2_TEST_DB_ADMIN_USER", "postgres"),
                System.getenv().getOrDefault("NHSV2_TEST_DB_ADMIN_PASSWORD", ""), true));
    }
}
