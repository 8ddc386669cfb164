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
 * <p>
 * {@code revision} orders the emails of one {@code correlationId} that describe its current state (a confirmation,
 * its moves, its cancellation): the requester raises it on every change of what the emails say. A request is not
 * sent once an email of the same requester and correlation with a higher revision has gone out; it is answered
 * {@link EmailSuperseded}, so a confirmation held up by the provider cannot arrive after the cancellation. Emails of
 * equal revision, and those that name none (a receipt, each a fact of its own), are sent whatever their order.
 */
public record EmailRequested(
        UUID requestId,
        UUID correlationId,
        UUID patientId,
        String recipient,
        EmailTemplate template,
        String locale,
        Map<String, String> model,
        List<EmailAttachment> attachments,
        Integer revision) {

    public EmailRequested {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(template, "template");
        locale = locale == null ? "en-GB" : locale;
        model = model == null ? Map.of() : Map.copyOf(model);
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
        if (revision != null && revision < 0) {
            throw new IllegalArgumentException("revision must not be negative: " + revision);
        }
    }

    /** A request that supersedes nothing and that nothing supersedes. */
    public EmailRequested(UUID requestId, UUID correlationId, UUID patientId, String recipient, EmailTemplate template,
                          String locale, Map<String, String> model, List<EmailAttachment> attachments) {
        this(requestId, correlationId, patientId, recipient, template, locale, model, attachments, null);
    }
}
