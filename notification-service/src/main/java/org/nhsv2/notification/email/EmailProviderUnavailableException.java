package org.nhsv2.notification.email;

/**
 * The provider did not take the email now (no answer in time, rate limited, its own failure, or our key
 * or sender refused until an operator puts that right) but may later. Thrown out of the listener: the
 * handling rolls back, the request is retried with back-off and, once the retries are spent, waits and
 * comes back ({@link ProviderAwayRecoverer}).
 */
public class EmailProviderUnavailableException extends RuntimeException {

    public EmailProviderUnavailableException(String message) {
        super(message);
    }

    public EmailProviderUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
