package org.nhsv2.notification.template;

/** One email written from its template: the subject and the same message as plain text and as HTML. */
public record RenderedEmail(String subject, String text, String html) {
}
