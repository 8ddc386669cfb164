package org.nhsv2.contracts;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Asks notification-service to send one email. {@code requestId} names this email for good: a
 * request published again (a replayed handler, a re-request after silence) carries the same id and
 * is sent at most once. {@code correlationId} is the appointment or transaction it is about;
 * {@code patientId} lets an erasure find the stored copy. The model holds the template's values as
 * text (times as ISO-8601 instants, with the zone to show them in under {@code zone}).
 */
public record EmailRequested(
        UUID requestId,
        UUID correlationId,
        UUID patientId,
        String recipient,
        EmailTemplate template,
        String locale,
        Map<String, String> model,
        List<EmailAttachment> attachments) {

    public EmailRequested {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(template, "template");
        locale = locale == null ? "en-GB" : locale;
        model = model == null ? Map.of() : Map.copyOf(model);
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }
}
