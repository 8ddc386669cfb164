package org.nhsv2.platform.api;

/** One field an event set or changed, as a history shows it; {@code from} is null for a first value. */
public record FieldChange(String field, String from, String to) {
}
