package org.nhsv2.notification.email;

/**
 * The email went out to the provider and its answer did not come back (no answer within the read timeout,
 * the connection broken or closed after the request was written): the provider may hold the email, or may
 * not. Not an outage: sending again may give the patient a second copy, so such a request is not retried
 * at once but sent again only {@link LaterSettings#resendsAfterLostAnswer()} times, each after a wait
 * ({@link ProviderAwayRecoverer}), and then ends as a failure for good that says it may have been delivered
 * ({@link EmailRequests}).
 */
public class EmailAnswerLostException extends RuntimeException {

    public EmailAnswerLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
