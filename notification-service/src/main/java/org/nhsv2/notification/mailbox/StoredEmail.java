package org.nhsv2.notification.mailbox;

import org.nhsv2.contracts.EmailAttachment;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An email as the mailbox keeps it; attachments as sent, their content Base64. */
public record StoredEmail(long id, UUID requestId, UUID patientId, String recipient, String subject, String text,
                          String html, List<EmailAttachment> attachments, Instant storedAt) {
}
