package org.nhsv2.platform.vault;


import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** The current master key, which wraps new data keys, and the previous ones still being rotated out. */
class MasterKeys {

    /** Marks a data key stored before keys were wrapped; re-wrapped at start-up like a rotated-out key. */
    static final String UNWRAPPED = "none";

    private final MasterKey current;
    private final Map<String, MasterKey> byId = new LinkedHashMap<>();

    MasterKeys(VaultSettings settings) {
        this.current = MasterKey.decode(settings.masterKey(), VaultSettings.MASTER_KEY_VARIABLE);
        byId.put(current.id(), current);
        for (int i = 0; i < settings.previousMasterKeys().size(); i++) {
            MasterKey previous = MasterKey.decode(settings.previousMasterKeys().get(i),
                    "nhsv2.vault.previous-master-keys[" + i + "]");
            byId.putIfAbsent(previous.id(), previous);
        }
    }

    MasterKey current() {
        return current;
    }

    /** Fails if the master key that wrapped it is not configured, naming the one to configure. */
    SecretKey unwrap(UUID patientId, UUID keyId, byte[] wrapped, String masterKeyId) {
        return unwrap(patientId, keyId, wrapped, masterKeyId, new AesGcm.Opener());
    }

    /**
     * As above, with {@code opener}'s cipher: one for the keys of one read, so that a master key is expanded once
     * for all of them (a new cipher and expansion for each key was a twentieth of a facility day's listing).
     */
    SecretKey unwrap(UUID patientId, UUID keyId, byte[] wrapped, String masterKeyId, AesGcm.Opener opener) {
        if (UNWRAPPED.equals(masterKeyId)) {
            return new SecretKeySpec(wrapped, "AES");
        }
        MasterKey master = byId.get(masterKeyId);
        if (master == null) {
            throw new IllegalStateException("Patient data keys are wrapped with master key " + masterKeyId
                    + ", which is neither " + VaultSettings.MASTER_KEY_VARIABLE + " nor one of NHSV2_PREVIOUS_MASTER_KEYS: "
                    + "configure it as a previous master key, or those patients' data cannot be read");
        }
        return master.unwrap(patientId, keyId, wrapped, opener);
    }
}
