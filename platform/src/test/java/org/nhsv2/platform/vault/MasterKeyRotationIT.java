package org.nhsv2.platform.vault;

import org.junit.jupiter.api.Test;
import org.nhsv2.platform.PlatformDatabase;
import org.nhsv2.platform.api.EncryptedText;
import org.nhsv2.platform.vault.PersonalDataVault.Binding;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Rotating the master key re-wraps every data key, keys stored before wrapping existed included, and
 * leaves every patient's data readable with the new key alone; a key wrapped with a master key that is
 * not configured stops the start, naming it.
 */
class MasterKeyRotationIT {

    private static final String NEW_MASTER_KEY = MasterKeyTest.KEY_TWO;

    @Test
    void shouldReadEveryPatientsDataWithTheNewMasterKeyAloneWhenTheOldOneIsRotatedOut() {
        PlatformDatabase.runner().run(context -> {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            TransactionTemplate transactions = context.getBean(TransactionTemplate.class);
            VaultSettings settings = context.getBean(VaultSettings.class);
            PersonalDataVault vault = context.getBean(PersonalDataVault.class);
            UUID patient = UUID.randomUUID();
            Binding name = Binding.of(UUID.randomUUID(), "patientName");
            EncryptedText sealedName = transactions.execute(status -> vault.sealerFor(patient).seal("Ada Lovelace", name));
            UUID legacyPatient = UUID.randomUUID();
            byte[] legacyKey = AesGcm.randomKey();
            jdbc.update("insert into patient_data_key (patient_id, key_id, wrapped_key, master_key_id) values (?, ?, ?, 'none')",
                    legacyPatient, UUID.randomUUID(), legacyKey);
            byte[] wrappedBefore = wrappedKeyOf(jdbc, patient);
            MasterKeys current = new MasterKeys(settings);
            MasterKeys rotated = new MasterKeys(new VaultSettings(NEW_MASTER_KEY, List.of(settings.masterKey())));
            MasterKeys newOnly = new MasterKeys(new VaultSettings(NEW_MASTER_KEY, List.of()));
            try {
                new DataKeyRewrap(jdbc, transactions, rotated).run(null);

                assertThat(masterKeyIdOf(jdbc, patient)).isEqualTo(rotated.current().id());
                assertThat(masterKeyIdOf(jdbc, legacyPatient)).isEqualTo(rotated.current().id());
                assertThat(wrappedKeyOf(jdbc, patient)).isNotEqualTo(wrappedBefore);
                assertThat(wrappedKeyOf(jdbc, legacyPatient)).isNotEqualTo(legacyKey).hasSize(60);
                assertThat(new PersonalDataVault(new PatientDataKeys(jdbc, newOnly)).open(patient, sealedName, name))
                        .isEqualTo("Ada Lovelace");
                Map<UUID, DataKey> legacy = new PatientDataKeys(jdbc, newOnly).findAll(List.of(legacyPatient));
                assertThat(legacy.get(legacyPatient).key().getEncoded()).isEqualTo(legacyKey);
                assertThat(jdbc.queryForObject("select count(*) from data_key_shred_request", Integer.class))
                        .as("the partitions with the old wrappings are queued for rewriting").isPositive();

                assertThatThrownBy(() -> new DataKeyRewrap(jdbc, transactions, current).run(null))
                        .as("a start with the old key alone, after the rotation")
                        .hasMessageContaining(rotated.current().id())
                        .hasMessageContaining("NHSV2_PREVIOUS_MASTER_KEYS");
            } finally {
                // The context knows only its own master key: give every key back to it.
                new DataKeyRewrap(jdbc, transactions,
                        new MasterKeys(new VaultSettings(settings.masterKey(), List.of(NEW_MASTER_KEY)))).run(null);
            }
            assertThat(masterKeyIdOf(jdbc, patient)).isEqualTo(current.current().id());
            assertThat(vault.open(patient, sealedName, name)).isEqualTo("Ada Lovelace");
        });
    }

    private static byte[] wrappedKeyOf(JdbcTemplate jdbc, UUID patient) {
        return jdbc.queryForObject("select wrapped_key from patient_data_key where patient_id = ?", byte[].class, patient);
    }

    private static String masterKeyIdOf(JdbcTemplate jdbc, UUID patient) {
        return jdbc.queryForObject("select master_key_id from patient_data_key where patient_id = ?", String.class, patient);
    }
}
