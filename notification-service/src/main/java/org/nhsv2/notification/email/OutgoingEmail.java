package org.nhsv2.notification.email;

import org.nhsv2.contracts.EmailAttachment;

import java.util.List;
import java.util.UUID;

/** A written email, ready for an {@link EmailSender}. {@code patientId} may be null (a request without one). */
public record OutgoingEmail(UUID requestId, UUID patientId, String recipient, String subject, String text, String html,
                            List<EmailAttachment> attachments) {

    /** The recipient stays out of logs. */
    @Override
    public String toString() {
        return "OutgoingEmail[requestId=" + requestId + ", " + attachments.size() + " attachment(s)]";
    }
}
