package org.nhsv2.platform.vault;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.util.List;

/**
 * The personal-data vault: per-patient data keys wrapped with the master key, sealing and opening,
 * erasure (the {@code ErasePatientPersonalDataCommand} handler), master-key rotation at start, and the
 * shredding of destroyed keys from the database files. Its tables come with the platform's Flyway
 * migrations ({@code classpath:db/platform}).
 */
@AutoConfiguration(after = {JdbcTemplateAutoConfiguration.class, TransactionAutoConfiguration.class})
@ConditionalOnProperty(name = "nhsv2.vault.enabled", matchIfMissing = true)
@EnableConfigurationProperties(VaultSettings.class)
public class VaultAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    MasterKeys masterKeys(VaultSettings settings) {
        return new MasterKeys(settings);
    }

    @Bean
    @ConditionalOnMissingBean
    PatientDataKeys patientDataKeys(JdbcTemplate jdbc, MasterKeys masterKeys) {
        return new PatientDataKeys(jdbc, masterKeys);
    }

    @Bean
    @ConditionalOnMissingBean
    PersonalDataVault personalDataVault(PatientDataKeys keys) {
        return new PersonalDataVault(keys);
    }

    @Bean
    @ConditionalOnMissingBean
    PersonalDataErasure personalDataErasure(PatientDataKeys keys, List<IdempotencyRecords> idempotencyRecords, Clock clock) {
        return new PersonalDataErasure(keys, idempotencyRecords, clock);
    }

    @Bean
    ErasureBasisUpcaster erasureBasisUpcaster() {
        return new ErasureBasisUpcaster();
    }

    @Bean
    @ConditionalOnMissingBean
    DataKeyRewrap dataKeyRewrap(JdbcTemplate jdbc, TransactionTemplate transactions, MasterKeys masterKeys) {
        return new DataKeyRewrap(jdbc, transactions, masterKeys);
    }

    @Bean
    @ConditionalOnMissingBean
    DataKeyShredder dataKeyShredder(JdbcTemplate jdbc, ObjectProvider<MeterRegistry> meters) {
        return new DataKeyShredder(jdbc, meters.getIfAvailable(SimpleMeterRegistry::new));
    }
}
