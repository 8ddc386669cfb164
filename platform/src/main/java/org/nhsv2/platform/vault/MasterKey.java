package org.nhsv2.platform.vault;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The key-encryption key that wraps every patient's data key (envelope encryption). It lives only
 * in the service's environment, so a copy of the database alone opens nothing. Its id, a short hash,
 * is stored beside each wrapped key so that a rotation knows what still needs re-wrapping.
 */
final class MasterKey {

    private final String id;
    private final SecretKey key;

    private MasterKey(byte[] bytes) {
        this.key = new SecretKeySpec(bytes, "AES");
        this.id = idOf(bytes);
    }

    /** @param setting the property or variable the value came from, for the error message */
    static MasterKey decode(String base64, String setting) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + " is not valid base64", e);
        }
        if (bytes.length != AesGcm.KEY_BYTES) {
            throw new IllegalArgumentException(setting + " must be " + AesGcm.KEY_BYTES + " random bytes in base64 "
                    + "(openssl rand -base64 32), not " + bytes.length + " bytes");
        }
        return new MasterKey(bytes);
    }

    String id() {
        return id;
    }

    byte[] wrap(UUID patientId, UUID keyId, SecretKey dataKey) {
        return AesGcm.seal(key, associatedData(patientId, keyId), dataKey.getEncoded());
    }

    /** With {@code opener}'s cipher, which keeps this key's schedule from one data key to the next. */
    SecretKey unwrap(UUID patientId, UUID keyId, byte[] wrapped, AesGcm.Opener opener) {
        return new SecretKeySpec(opener.open(key, associatedData(patientId, keyId), wrapped), "AES");
    }

    /** A wrapped key is bound to its row: it cannot be copied to another patient or key id. */
    private static byte[] associatedData(UUID patientId, UUID keyId) {
        return ("nhsv2-data-key|" + patientId + "|" + keyId).getBytes(StandardCharsets.US_ASCII);
    }

    private static String idOf(byte[] bytes) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update("nhsv2-master-key-id|".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(Arrays.copyOf(sha256.digest(bytes), 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "MasterKey[" + id + "]";
    }
}
