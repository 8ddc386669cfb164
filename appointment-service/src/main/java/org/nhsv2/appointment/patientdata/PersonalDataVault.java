package org.nhsv2.appointment.patientdata;

import org.nhsv2.appointment.api.AppointmentView;
import org.nhsv2.appointment.api.EncryptedText;
import org.springframework.stereotype.Component;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Seals personal data and clinical free text with the patient's own key: AES-GCM, with the patient
 * and key ids as associated data so a ciphertext cannot be moved to another patient. A sealed value
 * reads {@code v1:<key id>:<base64 of iv and ciphertext>}. Once the key is deleted every value it
 * sealed opens as {@link AppointmentView#ERASED}, even if the patient has a new key since.
 */
@Component
public class PersonalDataVault {

    private static final String PREFIX = "v1:";
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final PatientDataKeys keys;
    private final SecureRandom random = new SecureRandom();

    PersonalDataVault(PatientDataKeys keys) {
        this.keys = keys;
    }

    /**
     * Seals values of one patient. The patient's key is looked up (and created on first use) once,
     * at the first value that is not {@code null}, however many values follow.
     */
    public Sealer sealerFor(UUID patientId) {
        return new Sealer(patientId);
    }

    public final class Sealer {

        private final UUID patientId;
        private DataKey key;

        private Sealer(UUID patientId) {
            this.patientId = patientId;
        }

        /** Returns {@code null} for {@code null}. */
        public EncryptedText seal(String clearText) {
            if (clearText == null) {
                return null;
            }
            if (key == null) {
                key = keys.getOrCreate(patientId);
            }
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            byte[] sealed = crypt(Cipher.ENCRYPT_MODE, key, iv, patientId, clearText.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
            return new EncryptedText(PREFIX + key.id() + ":" + Base64.getEncoder().encodeToString(out));
        }
    }

    public String open(UUID patientId, EncryptedText text) {
        return readerFor(List.of(patientId)).open(patientId, text);
    }

    /** Fetches the keys of many patients in one query, for listings. */
    public Reader readerFor(Collection<UUID> patientIds) {
        return new Reader(keys.findAll(patientIds));
    }

    public final class Reader {

        private final Map<UUID, DataKey> keysByPatient;

        private Reader(Map<UUID, DataKey> keysByPatient) {
            this.keysByPatient = keysByPatient;
        }

        public String open(UUID patientId, EncryptedText text) {
            if (text == null) {
                return null;
            }
            String[] parts = text.ciphertext().split(":", 3);
            if (parts.length != 3 || !PREFIX.equals(parts[0] + ":")) {
                throw new IllegalStateException("unknown sealed-text format");
            }
            DataKey key = keysByPatient.get(patientId);
            if (key == null || !key.id().toString().equals(parts[1])) {
                return AppointmentView.ERASED;
            }
            byte[] in;
            try {
                in = Base64.getDecoder().decode(parts[2]);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("sealed text is not valid base64", e);
            }
            if (in.length <= IV_BYTES) {
                throw new IllegalStateException("sealed text is truncated");
            }
            byte[] iv = Arrays.copyOfRange(in, 0, IV_BYTES);
            byte[] sealed = Arrays.copyOfRange(in, IV_BYTES, in.length);
            return new String(crypt(Cipher.DECRYPT_MODE, key, iv, patientId, sealed), StandardCharsets.UTF_8);
        }
    }

    private static byte[] crypt(int mode, DataKey key, byte[] iv, UUID patientId, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(mode, key.key(), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD((patientId + ":" + key.id()).getBytes(StandardCharsets.US_ASCII));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            // A wrong tag means tampering or a key mix-up: never show or store a guess.
            throw new IllegalStateException("personal data could not be " +
                    (mode == Cipher.ENCRYPT_MODE ? "sealed" : "opened"), e);
        }
    }
}
