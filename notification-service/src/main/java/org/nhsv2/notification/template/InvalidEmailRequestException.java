package org.nhsv2.notification.template;

/**
 * The request cannot be written as an email: a template without files, a missing or malformed model
 * value. Asking again cannot help, so it ends as a permanent failure. The message names keys, never
 * their values (which are personal data).
 */
public class InvalidEmailRequestException extends RuntimeException {

    public InvalidEmailRequestException(String message) {
        super(message, null, false, false);
    }
}
