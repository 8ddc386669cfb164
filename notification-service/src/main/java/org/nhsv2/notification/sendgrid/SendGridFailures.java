package org.nhsv2.notification.sendgrid;

import org.apache.http.conn.ConnectTimeoutException;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;

/**
 * Whether a call to SendGrid that failed without an answer can have left the email with SendGrid. Only a
 * failure to connect cannot: the name did not resolve, the connection was refused, timed out or found no
 * route, no connection came from the client's pool in time ({@code ConnectionPoolTimeoutException} is a
 * {@link ConnectTimeoutException}), or TLS failed before a byte of the request was written. Anything else
 * (a read timeout, a connection reset or closed after the request went out, an answer that could not be
 * read) happened once the request may have been written, and SendGrid may have taken the email.
 */
final class SendGridFailures {

    private SendGridFailures() {
    }

    /** Whether the request certainly never reached SendGrid; looks through the causes too. */
    static boolean neverSent(IOException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof ConnectTimeoutException
                    || cause instanceof UnknownHostException || cause instanceof NoRouteToHostException
                    || cause instanceof SSLHandshakeException || cause instanceof SSLPeerUnverifiedException) {
                return true;
            }
        }
        return false;
    }
}
