package org.nhsv2.platform.messaging;

/**
 * The broker did not confirm a message: it was down, refused it, had no queue for it or did not
 * answer in time. The caller's work must fail with it (an event handler is then retried), since the
 * message may not exist.
 */
public class MessageNotSentException extends RuntimeException {

    public MessageNotSentException(String message) {
        super(message);
    }

    public MessageNotSentException(String message, Throwable cause) {
        super(message, cause);
    }
}
