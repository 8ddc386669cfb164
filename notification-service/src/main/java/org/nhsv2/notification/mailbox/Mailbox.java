package org.nhsv2.notification.mailbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.nhsv2.contracts.ContractJson;
import org.nhsv2.contracts.EmailAttachment;
import org.nhsv2.notification.email.OutgoingEmail;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * The {@code mailbox} table: emails kept instead of sent while no SendGrid key is configured. Storing
 * and erasing take the patient's advisory lock (shared and exclusive), so an erasure waits for emails
 * being stored for that patient and deletes them too, instead of missing one that commits just after.
 * Asking whether the patient was erased before storing takes it shared too ({@link #lockShared}). All must
 * run in a transaction.
 */
public class Mailbox {

    /** First half of the two-part advisory lock on a patient's stored emails: "NHNM". */
    static final int PATIENT_LOCK_NAMESPACE = 0x4e484e4d;
    private static final TypeReference<List<EmailAttachment>> ATTACHMENTS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final Clock clock;
    private final boolean inUse;
    private final ObjectMapper json = ContractJson.mapper();

    /** @param inUse whether emails go here (no SendGrid key); erasure empties it either way */
    public Mailbox(JdbcClient jdbc, Clock clock, boolean inUse) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.inUse = inUse;
    }

    public boolean inUse() {
        return inUse;
    }

    /** Keeps the email in the caller's transaction; returns its id. */
    public long store(OutgoingEmail email) {
        lockShared(email.patientId());
        return jdbc.sql("""
                        INSERT INTO mailbox (request_id, patient_id, recipient, subject, text_body, html_body, attachments,
                                             stored_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?)
                        RETURNING id""")
                .params(email.requestId(), email.patientId(), email.recipient(), email.subject(), email.text(),
                        email.html(), write(email.attachments()), clock.instant().atOffset(ZoneOffset.UTC))
                .query(Long.class)
                .single();
    }

    /** The recipient's emails, newest first; the address compares case-insensitively. */
    public List<StoredEmail> newestFor(String recipient, int limit) {
        return jdbc.sql("""
                        SELECT id, request_id, patient_id, recipient, subject, text_body, html_body, attachments, stored_at
                        FROM mailbox WHERE lower(recipient) = lower(?)
                        ORDER BY lower(recipient), stored_at DESC, id DESC
                        LIMIT ?""")
                .params(recipient, limit)
                .query((row, number) -> storedEmail(row))
                .list();
    }

    /**
     * Takes the patient's lock shared until the caller's transaction ends, as storing does: an erasure of the
     * patient has committed before it returns, or waits for the caller's transaction.
     */
    public void lockShared(UUID patientId) {
        lock(patientId, "pg_advisory_xact_lock_shared");
    }

    /** Deletes every email kept for the patient, once emails being stored for them have committed; returns how many. */
    public int eraseFor(UUID patientId) {
        lock(patientId, "pg_advisory_xact_lock");
        return jdbc.sql("DELETE FROM mailbox WHERE patient_id = ?").param(patientId).update();
    }

    private void lock(UUID patientId, String function) {
        if (patientId == null) {
            return;
        }
        jdbc.sql("SELECT 1 FROM " + function + "(?, ?)")
                .params(PATIENT_LOCK_NAMESPACE, patientId.hashCode())
                .query(Integer.class)
                .single();
    }

    private StoredEmail storedEmail(ResultSet row) throws SQLException {
        return new StoredEmail(row.getLong("id"), row.getObject("request_id", UUID.class),
                row.getObject("patient_id", UUID.class), row.getString("recipient"), row.getString("subject"),
                row.getString("text_body"), row.getString("html_body"), read(row.getString("attachments")),
                row.getObject("stored_at", OffsetDateTime.class).toInstant());
    }

    private String write(List<EmailAttachment> attachments) {
        try {
            return json.writeValueAsString(attachments);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("attachments cannot be written as JSON", e);
        }
    }

    private List<EmailAttachment> read(String attachments) {
        try {
            return json.readValue(attachments, ATTACHMENTS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored attachments are not readable", e);
        }
    }
}
