package org.nhsv2.notification.sendgrid;

import org.apache.http.HttpHost;
import org.apache.http.MalformedChunkCodingException;
import org.apache.http.NoHttpResponseException;
import org.apache.http.conn.ConnectTimeoutException;
import org.apache.http.conn.ConnectionPoolTimeoutException;
import org.apache.http.conn.HttpHostConnectException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SendGridFailuresTest {

    private static final HttpHost SENDGRID = new HttpHost("api.sendgrid.com", 443, "https");

    /** What HttpClient throws before a byte of the request is written. */
    static Stream<IOException> failuresToConnect() {
        return Stream.of(
                new HttpHostConnectException(new ConnectException("Connection refused"), SENDGRID),
                new ConnectTimeoutException(new SocketTimeoutException("Connect timed out"), SENDGRID),
                new ConnectionPoolTimeoutException("Timeout waiting for connection from pool"),
                new UnknownHostException("api.sendgrid.com"),
                new SSLHandshakeException("PKIX path building failed"),
                new IOException("wrapped", new ConnectException("Connection refused")));
    }

    /** What HttpClient (and sendgrid-java's client around it) throws once the request may have gone out. */
    static Stream<IOException> failuresAfterSending() {
        return Stream.of(
                new SocketTimeoutException("Read timed out"),
                new SocketException("Connection reset"),
                new NoHttpResponseException("localhost:8089 failed to respond"),
                new MalformedChunkCodingException("Bad chunk header"),
                // sendgrid-java turns a ClientProtocolException into a plain IOException with its message only
                new IOException("The server failed to respond with a valid HTTP response"));
    }

    @ParameterizedTest
    @MethodSource("failuresToConnect")
    void shouldTellSendGridCannotHaveTheEmailWhenTheConnectionWasNeverMade(IOException failure) {
        assertThat(SendGridFailures.neverSent(failure)).isTrue();
    }

    // These were outages once, retried five times per wait for up to sixty waits: a slow SendGrid that took the
    // email every time sent the patient a copy per try.
    @ParameterizedTest
    @MethodSource("failuresAfterSending")
    void shouldTellSendGridMayHaveTheEmailWhenTheRequestMayHaveGoneOut(IOException failure) {
        assertThat(SendGridFailures.neverSent(failure)).isFalse();
    }
}
