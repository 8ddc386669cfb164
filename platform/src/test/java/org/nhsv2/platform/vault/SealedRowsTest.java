package org.nhsv2.platform.vault;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nhsv2.platform.api.EncryptedText;
import org.nhsv2.platform.vault.PersonalDataVault.Binding;

import javax.crypto.spec.SecretKeySpec;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyCollection;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class SealedRowsTest {

    private static final UUID PATIENT_A = UUID.fromString("e0000000-0000-0000-0000-00000000000a");
    private static final UUID PATIENT_B = UUID.fromString("e0000000-0000-0000-0000-00000000000b");
    private static final DataKey KEY_A = key(1);
    private static final DataKey KEY_B = key(2);
    private static final String NAME = "patientName";

    /** A stored row: whom it is about, the record it belongs to, and a sealed name. */
    private record Row(UUID patientId, UUID recordId, EncryptedText name) {
    }

    /** What a reader is given. */
    private record View(UUID recordId, String name) {
    }

    private PatientDataKeys keys;
    private PersonalDataVault vault;
    private SealedRows<Row, View> rows;

    @BeforeEach
    void setUp() {
        keys = mock(PatientDataKeys.class);
        when(keys.getOrCreate(PATIENT_A)).thenReturn(KEY_A);
        when(keys.getOrCreate(PATIENT_B)).thenReturn(KEY_B);
        when(keys.findAll(anyCollection())).thenReturn(Map.of(PATIENT_A, KEY_A, PATIENT_B, KEY_B));
        vault = new PersonalDataVault(keys);
        rows = new SealedRows<>(vault, Row::patientId, Row::recordId,
                (row, sealed) -> new View(row.recordId(), sealed.open(row.name(), NAME)));
    }

    private static DataKey key(int seed) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) seed);
        return new DataKey(UUID.randomUUID(), new SecretKeySpec(bytes, "AES"));
    }

    private Row row(UUID patientId, String name) {
        UUID recordId = UUID.randomUUID();
        return new Row(patientId, recordId, vault.sealerFor(patientId).seal(name, Binding.of(recordId, NAME)));
    }

    @Test
    void shouldOpenEveryRowsFieldsInTheRowsOrderWhenRowsAreAboutSeveralPatients() {
        Row first = row(PATIENT_B, "Grace Hopper");
        Row second = row(PATIENT_A, "Ada Lovelace");
        Row third = row(PATIENT_B, "Grace Hopper again");

        assertThat(rows.open(List.of(first, second, third))).containsExactly(
                new View(first.recordId(), "Grace Hopper"),
                new View(second.recordId(), "Ada Lovelace"),
                new View(third.recordId(), "Grace Hopper again"));
    }

    @Test
    void shouldFetchTheKeysOfAllTheListingsPatientsInOneQueryWhenOpeningSeveralRows() {
        List<Row> listing = List.of(row(PATIENT_A, "a"), row(PATIENT_B, "b"), row(PATIENT_A, "c"));

        rows.open(listing);

        verify(keys, times(1)).findAll(anyCollection());
        verify(keys).findAll(Set.of(PATIENT_A, PATIENT_B));
    }

    @Test
    void shouldOpenOneRowAsAListingOfOne() {
        Row row = row(PATIENT_A, "Ada Lovelace");

        assertThat(rows.open(row)).isEqualTo(new View(row.recordId(), "Ada Lovelace"));
    }

    @Test
    void shouldReadErasedWhenTheRowsPatientHasNoKeyAnyMore() {
        Row row = row(PATIENT_A, "Ada Lovelace");
        when(keys.findAll(anyCollection())).thenReturn(Map.of());

        assertThat(rows.open(row).name()).isEqualTo(EncryptedText.ERASED);
    }

    @Test
    void shouldFailWhenARowsValueWasSealedForAnotherRecord() {
        Row row = row(PATIENT_A, "Ada Lovelace");
        Row moved = new Row(PATIENT_A, UUID.randomUUID(), row.name());

        assertThatThrownBy(() -> rows.open(moved)).isInstanceOf(IllegalStateException.class);
    }
}
