package org.nhsv2.notification.email;

/**
 * The provider did not take the email now (no answer in time, rate limited, its own failure) but may
 * later. Thrown out of the listener: the handling rolls back, the request is retried with back-off and
 * dead-lettered once the retries are spent.
 */
public class EmailProviderUnavailableException extends RuntimeException {

    public EmailProviderUnavailableException(String message) {
        super(message);
    }

    public EmailProviderUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
