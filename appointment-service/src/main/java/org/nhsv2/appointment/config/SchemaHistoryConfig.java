package org.nhsv2.appointment.config;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Arrays;

/**
 * Databases made before the shared schema moved into the platform ran this service's own V1 (Axon's
 * tables) and V3 (data keys), and a V2 that also created the key and idempotency tables. Those are
 * now the platform's idempotent migrations and V2 creates only the service's own tables. Once, for
 * such a database, the history is repaired to match (the missing migrations marked deleted, V2's
 * checksum realigned) before migrating; every other start migrates with full validation.
 */
@Configuration(proxyBeanMethods = false)
class SchemaHistoryConfig {

    @Bean
    FlywayMigrationStrategy adoptPlatformSchema() {
        return flyway -> {
            if (predatesThePlatformSchema(flyway)) {
                flyway.repair();
            }
            flyway.migrate();
        };
    }

    /** Ran the service's own Axon migration, and none of the platform's yet. */
    private static boolean predatesThePlatformSchema(Flyway flyway) {
        MigrationInfo[] applied = flyway.info().applied();
        return Arrays.stream(applied).anyMatch(migration -> "V1__axon_event_store.sql".equals(migration.getScript()))
                && Arrays.stream(applied).noneMatch(migration -> migration.getScript().startsWith("V0_"));
    }
}
