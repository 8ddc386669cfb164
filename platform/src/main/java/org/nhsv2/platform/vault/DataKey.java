package org.nhsv2.platform.vault;

import javax.crypto.SecretKey;
import java.util.UUID;

/** A patient's data key and its id; the id is written into every value the key seals. */
record DataKey(UUID id, SecretKey key) {

    @Override
    public String toString() {
        return "DataKey[" + id + "]";
    }
}
