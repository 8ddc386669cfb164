package org.nhsv2.platform.vault;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nhsv2.platform.api.EncryptedText;
import org.nhsv2.platform.vault.PersonalDataVault.Binding;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyCollection;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

class PersonalDataVaultTest {

    private static final UUID PATIENT_A = UUID.fromString("e0000000-0000-0000-0000-00000000000a");
    private static final UUID PATIENT_B = UUID.fromString("e0000000-0000-0000-0000-00000000000b");
    private static final UUID APPOINTMENT = UUID.fromString("f0000000-0000-0000-0000-000000000001");
    private static final UUID OTHER_APPOINTMENT = UUID.fromString("f0000000-0000-0000-0000-000000000002");
    private static final Binding NAME = Binding.of(APPOINTMENT, "patientName");
    private static final DataKey KEY_A = key(1);
    private static final DataKey KEY_B = key(2);
    private static final String CLEAR_TEXT = "Ada Lovelace, persistent cough";

    private PatientDataKeys keys;
    private PersonalDataVault vault;

    @BeforeEach
    void setUp() {
        keys = mock(PatientDataKeys.class);
        when(keys.getOrCreate(PATIENT_A)).thenReturn(KEY_A);
        when(keys.getOrCreate(PATIENT_B)).thenReturn(KEY_B);
        vault = new PersonalDataVault(keys);
    }

    private static DataKey key(int seed) {
        byte[] bytes = new byte[32];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (seed * 31 + i);
        }
        return new DataKey(UUID.randomUUID(), new SecretKeySpec(bytes, "AES"));
    }

    private void givenStoredKeys(Map<UUID, DataKey> stored) {
        when(keys.findAll(anyCollection())).thenReturn(stored);
    }

    @Nested
    class Seal {

        @Test
        void shouldOpenToTheClearTextWhenSealedAndOpenedForTheSamePatientRecordAndField() {
            givenStoredKeys(Map.of(PATIENT_A, KEY_A));

            EncryptedText sealed = vault.sealerFor(PATIENT_A).seal(CLEAR_TEXT, NAME);

            assertThat(vault.open(PATIENT_A, sealed, NAME)).isEqualTo(CLEAR_TEXT);
        }

        @Test
        void shouldKeepNonAsciiTextIntactWhenSealedAndOpened() {
            givenStoredKeys(Map.of(PATIENT_A, KEY_A));
            String text = "Zoë Øster – Kopfschmerzen, 頭痛";

            assertThat(vault.open(PATIENT_A, vault.sealerFor(PATIENT_A).seal(text, NAME), NAME)).isEqualTo(text);
        }

        @Test
        void shouldHideTheClearTextAndNameTheKeyWhenSealed() {
            EncryptedText sealed = vault.sealerFor(PATIENT_A).seal(CLEAR_TEXT, NAME);

            assertThat(sealed.ciphertext())
                    .startsWith("v2:" + KEY_A.id() + ":")
                    .doesNotContain(CLEAR_TEXT)
                    .doesNotContain("Lovelace")
                    .doesNotContain(Base64.getEncoder().encodeToString(CLEAR_TEXT.getBytes()));
        }

        @Test
        void shouldProduceDifferentCiphertextsWhenTheSameTextIsSealedTwice() {
            EncryptedText first = vault.sealerFor(PATIENT_A).seal(CLEAR_TEXT, NAME);
            EncryptedText second = vault.sealerFor(PATIENT_A).seal(CLEAR_TEXT, NAME);

            assertThat(first.ciphertext()).isNotEqualTo(second.ciphertext());
        }

        @Test
        void shouldLookThePatientsKeyUpOnceWhenOneSealerSealsSeveralValues() {
            PersonalDataVault.Sealer sealer = vault.sealerFor(PATIENT_A);

            sealer.seal("Ada Lovelace", NAME);
            sealer.seal("ada@example.test", Binding.of(APPOINTMENT, "patientEmail"));
            sealer.seal(CLEAR_TEXT, Binding.of(APPOINTMENT, "reason"));

            verify(keys, times(1)).getOrCreate(PATIENT_A);
        }

        @Test
        void shouldReturnNullAndCreateNoKeyWhenClearTextIsNull() {
            assertThat(vault.sealerFor(PATIENT_A).seal(null, NAME)).isNull();

            verifyNoInteractions(keys);
        }
    }

    @Nested
    class Open {

        @Test
        void shouldReturnErasedWhenThePatientHasNoKey() {
            EncryptedText sealed = vault.sealerFor(PATIENT_A).seal(CLEAR_TEXT, NAME);
            givenStoredKeys(Map.of());

            assertThat(vault.open(PATIENT_A, sealed, NAME)).isEqualTo(EncryptedText.ERASED);
        }

        @Test
        void shouldReturnErasedWhenThePatientHasANewKeySinceTheErasure() {
            EncryptedText sealedBeforeErasure = vault.sealerFor(PATIENT_A).seal(CLEAR_TEXT, NAME);
            DataKey newKey = key(3);
            when(keys.getOrCreate(PATIENT_A)).thenReturn(newKey);
            EncryptedText sealedAfter = vault.sealerFor(PATIENT_A).seal("new consent", NAME);
            givenStoredKeys(Map.of(PATIENT_A, newKey));

            assertThat(vault.open(PATIENT_A, sealedBeforeErasure, NAME)).isEqualTo(EncryptedText.ERASED);
            assertThat(vault.open(PATIENT_A, sealedAfter, NAME)).isEqualTo("new consent");
        }

        @Test
        void shouldFailWhenTheValueIsOpenedAsAnotherField() {
            EncryptedText reason = vault.sealerFor(PATIENT_A).seal(CLEAR_TEXT, Binding.of(APPOINTMENT, "rescheduleReason"));
            givenStoredKeys(Map.of(PATIENT_A, KEY_A));

            assertThatThrownBy(() -> vault.open(PATIENT_A, reason, Binding.of(APPOINTMENT, "cancellationReason")))
                    .isInstanceOf(IllegalStateException.class);
        }

        @Test
        void shouldFailWhenTheValueIsOpenedForAnotherAppointment() {
            EncryptedText name = vault.sealerFor(PATIENT_A).seal(CLEAR_TEXT, NAME);
            givenStoredKeys(Map.of(PATIENT_A, KEY_A));

            assertThatThrownBy(() -> vault.open(PATIENT_A, name, Binding.of(OTHER_APPOINTMENT, "patientName")))
                    .isInstanceOf(IllegalStateException.class);
        }

        @Test
        void shouldOpenAFirstFormatValueBoundToPatientAndKeyOnly() {
            byte[] sealed = AesGcm.seal(KEY_A.key(), (PATIENT_A + ":" + KEY_A.id()).getBytes(StandardCharsets.UTF_8),
                    CLEAR_TEXT.getBytes(StandardCharsets.UTF_8));
            EncryptedText stored = new EncryptedText("v1:" + KEY_A.id() + ":" + Base64.getEncoder().encodeToString(sealed));
            givenStoredKeys(Map.of(PATIENT_A, KEY_A));

            assertThat(vault.open(PATIENT_A, stored, NAME)).isEqualTo(CLEAR_TEXT);
        }

        @Test
        void shouldFailWhenTheCiphertextIsNotBase64() {
            givenStoredKeys(Map.of(PATIENT_A, KEY_A));

            assertThatThrownBy(() -> vault.open(PATIENT_A, new EncryptedText("v2:" + KEY_A.id() + ":%%%"), NAME))
                    .isInstanceOf(IllegalStateException.class);
        }

        @Test
        void shouldFailWhenTheCiphertextIsTruncated() {
            givenStoredKeys(Map.of(PATIENT_A, KEY_A));

            assertThatThrownBy(() -> vault.open(PATIENT_A, new EncryptedText("v2:" + KEY_A.id() + ":AAAA"), NAME))
                    .isInstanceOf(IllegalStateException.class);
        }

        @Test
        void shouldReturnNullWhenTextIsNull() {
            givenStoredKeys(Map.of(PATIENT_A, KEY_A));

            assertThat(vault.open(PATIENT_A, null, NAME)).isNull();
        }

        @Test
        void shouldFailWhenOpenedForAnotherPatientEvenWithTheRightKey() {
            EncryptedText sealedForA = vault.sealerFor(PATIENT_A).seal(CLEAR_TEXT, NAME);
            // B is handed A's key: only the patient id bound in as associated data can tell them apart.
            givenStoredKeys(Map.of(PATIENT_B, KEY_A));

            assertThatThrownBy(() -> vault.open(PATIENT_B, sealedForA, NAME))
                    .isInstanceOf(IllegalStateException.class);
        }

        @ParameterizedTest(name = "byte {0}")
        @ValueSource(ints = {0, 12, -1}) // in the IV, the first byte of ciphertext, the last byte of the tag
        void shouldFailWhenSealedBytesWereTamperedWith(int index) {
            EncryptedText sealed = vault.sealerFor(PATIENT_A).seal(CLEAR_TEXT, NAME);
            givenStoredKeys(Map.of(PATIENT_A, KEY_A));

            assertThatThrownBy(() -> vault.open(PATIENT_A, flipBit(sealed, index), NAME))
                    .isInstanceOf(IllegalStateException.class);
        }

        @Test
        void shouldFailWhenTheFormatIsUnknown() {
            givenStoredKeys(Map.of(PATIENT_A, KEY_A));

            assertThatThrownBy(() -> vault.open(PATIENT_A, new EncryptedText(CLEAR_TEXT), NAME))
                    .isInstanceOf(IllegalStateException.class);
        }

        @Test
        void shouldOpenEachFieldOfTheRecordWhenReadThroughTheRecordsReader() {
            EncryptedText name = vault.sealerFor(PATIENT_A).seal("Ada", NAME);
            EncryptedText reason = vault.sealerFor(PATIENT_A).seal(CLEAR_TEXT, Binding.of(APPOINTMENT, "reason"));
            givenStoredKeys(Map.of(PATIENT_A, KEY_A));

            PersonalDataVault.RecordReader record = vault.readerFor(PATIENT_A, APPOINTMENT);

            assertThat(record.open(name, NAME.field())).isEqualTo("Ada");
            assertThat(record.open(reason, "reason")).isEqualTo(CLEAR_TEXT);
            assertThat(record.open(null, "reason")).isNull();
            verify(keys, times(1)).findAll(List.of(PATIENT_A));
        }

        @Test
        void shouldFailWhenAValueIsReadThroughAnotherRecordsReader() {
            EncryptedText name = vault.sealerFor(PATIENT_A).seal(CLEAR_TEXT, NAME);
            givenStoredKeys(Map.of(PATIENT_A, KEY_A));

            assertThatThrownBy(() -> vault.readerFor(PATIENT_A, OTHER_APPOINTMENT).open(name, NAME.field()))
                    .isInstanceOf(IllegalStateException.class);
        }

        @Test
        void shouldOpenEachPatientsTextWhenOneReaderServesSeveralPatients() {
            EncryptedText sealedForA = vault.sealerFor(PATIENT_A).seal("for A", NAME);
            EncryptedText sealedForB = vault.sealerFor(PATIENT_B).seal("for B", NAME);
            givenStoredKeys(Map.of(PATIENT_A, KEY_A));

            PersonalDataVault.Reader reader = vault.readerFor(List.of(PATIENT_A, PATIENT_B));

            assertThat(reader.open(PATIENT_A, sealedForA, NAME)).isEqualTo("for A");
            assertThat(reader.open(PATIENT_B, sealedForB, NAME)).isEqualTo(EncryptedText.ERASED);
        }

        /** One reader opens with one cipher: each value with its own key, whatever came before, a refusal too. */
        @Test
        void shouldOpenEveryValueOfInterleavedPatientsWithOneReaderAfterARefusedOne() {
            Binding other = Binding.of(APPOINTMENT, "reason");
            EncryptedText nameA = vault.sealerFor(PATIENT_A).seal("Ada", NAME);
            EncryptedText nameB = vault.sealerFor(PATIENT_B).seal("Bea", NAME);
            EncryptedText reasonA = vault.sealerFor(PATIENT_A).seal("cough", other);
            EncryptedText reasonB = vault.sealerFor(PATIENT_B).seal("fever", other);
            givenStoredKeys(Map.of(PATIENT_A, KEY_A, PATIENT_B, KEY_B));

            PersonalDataVault.Reader reader = vault.readerFor(List.of(PATIENT_A, PATIENT_B));

            assertThat(reader.open(PATIENT_A, nameA, NAME)).isEqualTo("Ada");
            assertThat(reader.open(PATIENT_B, nameB, NAME)).isEqualTo("Bea");
            assertThatThrownBy(() -> reader.open(PATIENT_B, flipBit(reasonB, -1), other))
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> reader.open(PATIENT_A, reasonA, NAME)).isInstanceOf(IllegalStateException.class);
            assertThat(reader.open(PATIENT_B, reasonB, other)).isEqualTo("fever");
            assertThat(reader.open(PATIENT_A, reasonA, other)).isEqualTo("cough");
            assertThat(reader.open(PATIENT_A, nameA, NAME)).isEqualTo("Ada");
        }

        /** A negative index counts from the end. */
        private static EncryptedText flipBit(EncryptedText sealed, int index) {
            String prefix = sealed.ciphertext().substring(0, sealed.ciphertext().lastIndexOf(':') + 1);
            byte[] bytes = Base64.getDecoder().decode(sealed.ciphertext().substring(prefix.length()));
            bytes[index < 0 ? bytes.length + index : index] ^= 0x01;
            return new EncryptedText(prefix + Base64.getEncoder().encodeToString(bytes));
        }
    }
}
