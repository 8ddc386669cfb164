package org.nhsv2.platform.vault;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * @param masterKey          the key that wraps every patient's data key: 32 random bytes in base64, from
 *                           {@code NHSV2_MASTER_KEY}. Only the local profile has a (fake) default; without
 *                           it the service does not start.
 * @param previousMasterKeys keys being rotated out: still accepted for unwrapping, and every data key they
 *                           wrap is re-wrapped with {@code masterKey} when the service starts
 *                           ({@code NHSV2_PREVIOUS_MASTER_KEYS}, comma-separated)
 */
@ConfigurationProperties("nhsv2.vault")
public record VaultSettings(String masterKey, @DefaultValue List<String> previousMasterKeys) {

    static final String MASTER_KEY_VARIABLE = "NHSV2_MASTER_KEY";

    public VaultSettings {
        if (masterKey == null || masterKey.isBlank()) {
            throw new IllegalArgumentException("no master key: set " + MASTER_KEY_VARIABLE + " (nhsv2.vault.master-key) "
                    + "to 32 random bytes in base64, e.g. `openssl rand -base64 32`. Only the local profile has a "
                    + "fake development key.");
        }
        previousMasterKeys = List.copyOf(previousMasterKeys);
    }

    @Override
    public String toString() {
        return "VaultSettings[master key and " + previousMasterKeys.size() + " previous keys redacted]";
    }
}
