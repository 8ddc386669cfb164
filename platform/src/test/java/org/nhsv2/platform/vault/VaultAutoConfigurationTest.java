package org.nhsv2.platform.vault;

import org.junit.jupiter.api.Test;
import org.nhsv2.platform.PlatformDatabase;
import org.nhsv2.platform.time.ClockAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

class VaultAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ClockAutoConfiguration.class, VaultAutoConfiguration.class))
            .withBean(JdbcTemplate.class, () -> mock(JdbcTemplate.class))
            .withBean(TransactionTemplate.class, () -> mock(TransactionTemplate.class));

    @Test
    void shouldProvideTheVaultErasureRotationAndShreddingWhenAMasterKeyIsSet() {
        runner.withPropertyValues("nhsv2.vault.master-key=" + PlatformDatabase.MASTER_KEY).run(context -> assertThat(context)
                .hasSingleBean(PersonalDataVault.class).hasSingleBean(PersonalDataErasure.class)
                .hasSingleBean(DataKeyRewrap.class).hasSingleBean(DataKeyShredder.class));
    }

    @Test
    void shouldRefuseToStartNamingTheVariableWhenNoMasterKeyIsSet() {
        runner.run(context -> assertThat(context).hasFailed().getFailure()
                .rootCause().hasMessageContaining("NHSV2_MASTER_KEY"));
    }

    @Test
    void shouldProvideNothingWhenTheVaultIsSwitchedOff() {
        runner.withPropertyValues("nhsv2.vault.enabled=false").run(context -> assertThat(context)
                .hasNotFailed().doesNotHaveBean(PersonalDataVault.class).doesNotHaveBean(PersonalDataErasure.class));
    }

    @Test
    void shouldKeepTheServicesOwnVaultWhenItDefinesOne() {
        PersonalDataVault own = new PersonalDataVault(mock(PatientDataKeys.class));
        runner.withPropertyValues("nhsv2.vault.master-key=" + PlatformDatabase.MASTER_KEY)
                .withBean(PersonalDataVault.class, () -> own)
                .run(context -> assertThat(context.getBean(PersonalDataVault.class)).isSameAs(own));
    }
}
