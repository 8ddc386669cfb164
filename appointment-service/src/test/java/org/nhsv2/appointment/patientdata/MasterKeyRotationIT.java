package org.nhsv2.appointment.patientdata;

import org.junit.jupiter.api.Test;
import org.nhsv2.appointment.Api;
import org.nhsv2.appointment.IntegrationTest;
import org.nhsv2.appointment.api.EncryptedText;
import org.nhsv2.appointment.api.SealedFields;
import org.nhsv2.appointment.patientdata.PersonalDataVault.Binding;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.nhsv2.appointment.DemoUsers.ALICE;
import static org.nhsv2.appointment.DemoUsers.RIVERSIDE;

/**
 * Rotating the master key re-wraps every data key, keys stored before wrapping existed included, and
 * leaves every patient's data readable with the new key alone; a key wrapped with a master key that is
 * not configured stops the start, naming it.
 */
class MasterKeyRotationIT extends IntegrationTest {

    private static final String NEW_MASTER_KEY = MasterKeyTest.KEY_TWO;

    @Autowired
    private VaultSettings settings;
    @Autowired
    private TransactionTemplate transactions;

    @Test
    void shouldReadEveryPatientsDataWithTheNewMasterKeyAloneWhenTheOldOneIsRotatedOut() {
        UUID patient = UUID.randomUUID();
        Api.Response booked = as(ALICE).post("/api/appointments", booking(RIVERSIDE, patient, freeSlot()));
        assertThat(booked.status()).isEqualTo(201);
        UUID appointmentId = UUID.fromString(booked.text("appointmentId"));
        EncryptedText sealedName = new EncryptedText(jdbc.queryForObject(
                "select patient_name from appointment_view where appointment_id = ?", String.class, appointmentId));
        UUID legacyPatient = UUID.randomUUID();
        byte[] legacyKey = AesGcm.randomKey();
        jdbc.update("insert into patient_data_key (patient_id, key_id, wrapped_key, master_key_id) values (?, ?, ?, 'none')",
                legacyPatient, UUID.randomUUID(), legacyKey);
        byte[] wrappedBefore = wrappedKeyOf(patient);
        MasterKeys current = new MasterKeys(settings);
        MasterKeys rotated = new MasterKeys(new VaultSettings(NEW_MASTER_KEY, List.of(settings.masterKey())));
        MasterKeys newOnly = new MasterKeys(new VaultSettings(NEW_MASTER_KEY, List.of()));
        try {
            new DataKeyRewrap(jdbc, transactions, rotated).run(null);

            assertThat(masterKeyIdOf(patient)).isEqualTo(rotated.current().id());
            assertThat(masterKeyIdOf(legacyPatient)).isEqualTo(rotated.current().id());
            assertThat(wrappedKeyOf(patient)).isNotEqualTo(wrappedBefore);
            assertThat(wrappedKeyOf(legacyPatient)).isNotEqualTo(legacyKey).hasSize(60);
            PersonalDataVault vault = new PersonalDataVault(new PatientDataKeys(jdbc, newOnly));
            assertThat(vault.open(patient, sealedName, Binding.of(appointmentId, SealedFields.PATIENT_NAME)))
                    .isEqualTo("Patient " + patient.toString().substring(0, 8));
            Map<UUID, DataKey> legacy = new PatientDataKeys(jdbc, newOnly).findAll(List.of(legacyPatient));
            assertThat(legacy.get(legacyPatient).key().getEncoded()).isEqualTo(legacyKey);
            assertThat(jdbc.queryForObject("select count(*) from data_key_shred_request", Integer.class))
                    .as("the partitions with the old wrappings are queued for rewriting").isPositive();

            assertThatThrownBy(() -> new DataKeyRewrap(jdbc, transactions, current).run(null))
                    .as("a start with the old key alone, after the rotation")
                    .hasMessageContaining(rotated.current().id())
                    .hasMessageContaining("NHSV2_PREVIOUS_MASTER_KEYS");
        } finally {
            // The running service knows only its own master key: give every key back to it.
            new DataKeyRewrap(jdbc, transactions,
                    new MasterKeys(new VaultSettings(settings.masterKey(), List.of(NEW_MASTER_KEY)))).run(null);
        }
        assertThat(masterKeyIdOf(patient)).isEqualTo(current.current().id());
        assertThat(as(ALICE).get("/api/appointments/" + appointmentId).text("patientName"))
                .isEqualTo("Patient " + patient.toString().substring(0, 8));
    }

    private byte[] wrappedKeyOf(UUID patient) {
        return jdbc.queryForObject("select wrapped_key from patient_data_key where patient_id = ?", byte[].class, patient);
    }

    private String masterKeyIdOf(UUID patient) {
        return jdbc.queryForObject("select master_key_id from patient_data_key where patient_id = ?", String.class, patient);
    }
}
