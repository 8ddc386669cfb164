package org.nhsv2.platform.vault;

import org.nhsv2.platform.api.EncryptedText;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Seals personal data and clinical free text with the patient's own key, AES-GCM. A sealed value reads
 * {@code v2:<key id>:<base64 of iv, ciphertext and tag>}; its associated data binds it to the patient,
 * the key, the record it belongs to and the field it fills, so it cannot be moved to another patient,
 * appointment or field. Once the key is destroyed every value it sealed opens as
 * {@link EncryptedText#ERASED}, even if the patient has a new key since. Values of the first format,
 * {@code v1}, bound to patient and key only, are still opened.
 */
public class PersonalDataVault {

    /**
     * First half of the two-part advisory lock ({@code pg_advisory_xact_lock(namespace, patient id's
     * hash)}) that creating, sealing with and destroying a patient's key take: these locks meet no one
     * else's, and an operator (or a test) can see who holds one in {@code pg_locks}.
     */
    public static final int PATIENT_LOCK_NAMESPACE = 0x4e485350; // "NHSP"

    private static final String V1 = "v1";
    private static final String V2 = "v2";

    private final PatientDataKeys keys;

    PersonalDataVault(PatientDataKeys keys) {
        this.keys = keys;
    }

    /** What a sealed value belongs to: the record (an appointment, a transaction) and the field it fills. */
    public record Binding(UUID recordId, String field) {

        public Binding {
            Objects.requireNonNull(recordId, "recordId");
            Objects.requireNonNull(field, "field");
        }

        public static Binding of(UUID recordId, String field) {
            return new Binding(recordId, field);
        }
    }

    /**
     * Seals values of one patient. The patient's key is looked up (and created on first use) once, at
     * the first value that is not {@code null}, however many values follow; from then on the caller's
     * transaction holds the patient's lock, so an erasure waits for it.
     */
    /**
     * Takes the patient's lock (the one sealing with, creating and destroying their key take) until the transaction
     * ends, for a service's own rule about the patient that must be decided one request at a time.
     */
    public void lockPatient(UUID patientId) {
        keys.lock(patientId);
    }

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
        public EncryptedText seal(String clearText, Binding binding) {
            if (clearText == null) {
                return null;
            }
            if (key == null) {
                key = keys.getOrCreate(patientId);
            }
            byte[] sealed = AesGcm.seal(key.key(), associatedData(V2, patientId, key.id(), binding),
                    clearText.getBytes(StandardCharsets.UTF_8));
            return new EncryptedText(V2 + ":" + key.id() + ":" + Base64.getEncoder().encodeToString(sealed));
        }
    }

    public String open(UUID patientId, EncryptedText text, Binding binding) {
        return readerFor(List.of(patientId)).open(patientId, text, binding);
    }

    /** Fetches the keys of many patients in one query, for listings. */
    public Reader readerFor(Collection<UUID> patientIds) {
        return new Reader(keys.findAll(patientIds));
    }

    /** Fetches one patient's key, to open the sealed fields of one record about them. */
    public RecordReader readerFor(UUID patientId, UUID recordId) {
        return readerFor(List.of(patientId)).of(patientId, recordId);
    }

    /**
     * Opens the sealed fields of one record (an appointment, a transaction) about one patient, each
     * named by the field it fills.
     */
    @FunctionalInterface
    public interface RecordReader {

        String open(EncryptedText text, String field);
    }

    /** For one thread, as the request or handler that made it. */
    public final class Reader {

        private final Map<UUID, DataKey> keysByPatient;
        private final AesGcm.Opener opener = new AesGcm.Opener();

        private Reader(Map<UUID, DataKey> keysByPatient) {
            this.keysByPatient = keysByPatient;
        }

        /** This reader's keys, for the fields of one record about one patient. */
        public RecordReader of(UUID patientId, UUID recordId) {
            return (text, field) -> open(patientId, text, Binding.of(recordId, field));
        }

        public String open(UUID patientId, EncryptedText text, Binding binding) {
            if (text == null) {
                return null;
            }
            String[] parts = text.ciphertext().split(":", 3);
            if (parts.length != 3 || !(V1.equals(parts[0]) || V2.equals(parts[0]))) {
                throw new IllegalStateException("unknown sealed-text format");
            }
            DataKey key = keysByPatient.get(patientId);
            if (key == null || !key.id().toString().equals(parts[1])) {
                return EncryptedText.ERASED;
            }
            byte[] sealed;
            try {
                sealed = Base64.getDecoder().decode(parts[2]);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("sealed text is not valid base64", e);
            }
            return new String(opener.open(key.key(), associatedData(parts[0], patientId, key.id(), binding), sealed),
                    StandardCharsets.UTF_8);
        }
    }

    private static byte[] associatedData(String version, UUID patientId, UUID keyId, Binding binding) {
        String data = V1.equals(version)
                ? patientId + ":" + keyId
                : String.join("|", V2, patientId.toString(), keyId.toString(), binding.recordId().toString(),
                binding.field());
        return data.getBytes(StandardCharsets.UTF_8);
    }
}
