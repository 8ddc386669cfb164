package org.nhsv2.contracts;

import java.util.Objects;

/**
 * A file sent with an email, such as the calendar invitation. {@code content} is Base64; a
 * {@code text/calendar} attachment carries its method in the content type
 * ({@code text/calendar; method=REQUEST}) so mail clients offer to accept it.
 */
public record EmailAttachment(String fileName, String contentType, String content) {

    public EmailAttachment {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(content, "content");
    }
}
