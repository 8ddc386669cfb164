package org.nhsv2.notification.email;

/**
 * The provider did not take the email now (not reached at all, rate limited, its own failure, or our key
 * or sender refused until an operator puts that right) but may later. Thrown out of the listener: the
 * handling rolls back, the request is retried with back-off and, once the retries are spent, waits and
 * comes back ({@link ProviderAwayRecoverer}). Only for what cannot have left an email with the provider: an
 * answer lost after the email went out is an {@link EmailAnswerLostException}.
 */
public class EmailProviderUnavailableException extends RuntimeException {

    public EmailProviderUnavailableException(String message) {
        super(message);
    }

    public EmailProviderUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
