package org.nhsv2.platform.vault;

import org.junit.jupiter.api.Test;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MasterKeyTest {

    static final String KEY_ONE = Base64.getEncoder().encodeToString("test-master-key-one-000000000000".getBytes());
    static final String KEY_TWO = Base64.getEncoder().encodeToString("test-master-key-two-000000000000".getBytes());
    private static final UUID PATIENT = UUID.fromString("e0000000-0000-0000-0000-00000000000a");
    private static final UUID KEY_ID = UUID.fromString("c0000000-0000-0000-0000-000000000001");
    private static final SecretKey DATA_KEY = new SecretKeySpec(AesGcm.randomKey(), "AES");

    @Test
    void shouldUnwrapTheDataKeyItWrappedWhenPatientAndKeyIdMatch() {
        MasterKey master = MasterKey.decode(KEY_ONE, "test");

        byte[] wrapped = master.wrap(PATIENT, KEY_ID, DATA_KEY);

        assertThat(wrapped).hasSize(60);
        assertThat(new String(wrapped, java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain(new String(DATA_KEY.getEncoded(), java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(master.unwrap(PATIENT, KEY_ID, wrapped, new AesGcm.Opener()).getEncoded())
                .isEqualTo(DATA_KEY.getEncoded());
    }

    @Test
    void shouldRefuseToUnwrapWhenTheWrappedKeyIsMovedToAnotherPatientOrKeyId() {
        MasterKey master = MasterKey.decode(KEY_ONE, "test");
        byte[] wrapped = master.wrap(PATIENT, KEY_ID, DATA_KEY);

        assertThatThrownBy(() -> master.unwrap(UUID.randomUUID(), KEY_ID, wrapped, new AesGcm.Opener()))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> master.unwrap(PATIENT, UUID.randomUUID(), wrapped, new AesGcm.Opener()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldRefuseToUnwrapWithAnotherMasterKey() {
        byte[] wrapped = MasterKey.decode(KEY_ONE, "test").wrap(PATIENT, KEY_ID, DATA_KEY);

        assertThatThrownBy(() -> MasterKey.decode(KEY_TWO, "test").unwrap(PATIENT, KEY_ID, wrapped, new AesGcm.Opener()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldIdentifyAKeyByAStableShortHashThatDiffersBetweenKeys() {
        assertThat(MasterKey.decode(KEY_ONE, "test").id())
                .hasSize(16)
                .isEqualTo(MasterKey.decode(KEY_ONE, "test").id())
                .isNotEqualTo(MasterKey.decode(KEY_TWO, "test").id());
    }

    @Test
    void shouldNameTheSettingWhenTheKeyIsNotBase64OrNot32Bytes() {
        assertThatThrownBy(() -> MasterKey.decode("not base64!", "NHSV2_MASTER_KEY"))
                .hasMessageContaining("NHSV2_MASTER_KEY").hasMessageContaining("base64");
        assertThatThrownBy(() -> MasterKey.decode(Base64.getEncoder().encodeToString(new byte[16]), "NHSV2_MASTER_KEY"))
                .hasMessageContaining("NHSV2_MASTER_KEY").hasMessageContaining("32");
    }

    @Test
    void shouldRefuseSettingsWithoutAMasterKeyNamingTheVariableToSet() {
        assertThatThrownBy(() -> new VaultSettings(null, List.of())).hasMessageContaining("NHSV2_MASTER_KEY");
        assertThatThrownBy(() -> new VaultSettings("  ", List.of())).hasMessageContaining("NHSV2_MASTER_KEY");
    }

    @Test
    void shouldUnwrapWithAPreviousKeyAndNameAMasterKeyThatIsNotConfigured() {
        MasterKeys rotated = new MasterKeys(new VaultSettings(KEY_TWO, List.of(KEY_ONE)));
        MasterKey one = MasterKey.decode(KEY_ONE, "test");
        byte[] wrapped = one.wrap(PATIENT, KEY_ID, DATA_KEY);

        assertThat(rotated.current().id()).isEqualTo(MasterKey.decode(KEY_TWO, "test").id());
        assertThat(rotated.unwrap(PATIENT, KEY_ID, wrapped, one.id()).getEncoded()).isEqualTo(DATA_KEY.getEncoded());
        assertThatThrownBy(() -> new MasterKeys(new VaultSettings(KEY_TWO, List.of())).unwrap(PATIENT, KEY_ID, wrapped, one.id()))
                .hasMessageContaining(one.id()).hasMessageContaining("NHSV2_PREVIOUS_MASTER_KEYS");
    }

    @Test
    void shouldUnwrapKeysOfBothMasterKeysOneAfterAnotherWithOneCipherAndGoOnAfterARefusal() {
        MasterKeys rotated = new MasterKeys(new VaultSettings(KEY_TWO, List.of(KEY_ONE)));
        MasterKey one = MasterKey.decode(KEY_ONE, "test");
        AesGcm.Opener opener = new AesGcm.Opener();

        for (int i = 0; i < 20; i++) {
            UUID patient = UUID.randomUUID();
            SecretKey dataKey = new SecretKeySpec(AesGcm.randomKey(), "AES");
            MasterKey wrapping = i % 3 == 0 ? one : rotated.current();
            byte[] wrapped = wrapping.wrap(patient, KEY_ID, dataKey);

            assertThat(rotated.unwrap(patient, KEY_ID, wrapped, wrapping.id(), opener).getEncoded())
                    .isEqualTo(dataKey.getEncoded());
            assertThatThrownBy(() -> rotated.unwrap(UUID.randomUUID(), KEY_ID, wrapped, wrapping.id(), opener))
                    .isInstanceOf(IllegalStateException.class);
        }
    }
}
