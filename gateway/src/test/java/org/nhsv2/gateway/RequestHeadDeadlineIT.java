package org.nhsv2.gateway;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slow and idle connections on the public port are closed once they have not sent a whole request head within the
 * deadline (2 s here, 30 s by default): a header sent a byte at a time, nothing at all, an idle keep-alive connection.
 * Each socket waits at most 10 s for the gateway to close it; without the deadline it would wait for good.
 */
@TestPropertySource(properties = "nhsv2.gateway.request-head-timeout=2s")
class RequestHeadDeadlineIT extends GatewayIntegrationTest {

    private static final int PATIENCE_MS = 10_000;

    @Test
    void shouldCloseAConnectionThatSendsItsHeadersAByteAtATime() throws Exception {
        ScheduledExecutorService dripping = Executors.newSingleThreadScheduledExecutor();
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/products HTTP/1.1\r\nHost: localhost\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            dripping.scheduleAtFixedRate(() -> {
                try {
                    out.write('a');
                    out.flush();
                } catch (IOException closed) {
                    // the gateway closed it: what the test waits for
                }
            }, 0, 200, TimeUnit.MILLISECONDS);

            long started = System.nanoTime();
            assertThat(readUntilClosed(socket.getInputStream())).as("nothing answered to a head never finished").isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));
        } finally {
            dripping.shutdownNow();
        }
    }

    @Test
    void shouldCloseAConnectionThatSendsNothing() throws Exception {
        try (Socket socket = connect()) {
            assertThat(readUntilClosed(socket.getInputStream())).isEmpty();
        }
    }

    @Test
    void shouldAnswerARequestAndThenCloseTheIdleKeepAliveConnection() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(("GET /sandbox/checkouts/c1 HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();

            String answer = readUntilClosed(socket.getInputStream());

            assertThat(answer).startsWith("HTTP/1.1 200").contains("payment-service");
        }
    }

    /**
     * A client that waits for {@code 100 Continue} before its body, and sends it later than the deadline: the request is
     * under way, so the connection stays open until its answer (a {@code 100} is not the answer).
     */
    @Test
    void shouldNotCloseARequestUnderWayAfterItsHundredContinue() throws Exception {
        String body = "{\"id\":\"evt_1\"}";
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/stripe/webhook HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\nExpect: 100-continue\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            assertThat(readLine(in)).isEqualTo("HTTP/1.1 100 Continue");
            assertThat(readLine(in)).isEmpty();
            // The client sends its body 3 s after the 100 Continue, past the deadline (2 s)
            ScheduledExecutorService client = Executors.newSingleThreadScheduledExecutor();
            try {
                client.schedule(() -> {
                    out.write(body.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    return null;
                }, 3, TimeUnit.SECONDS);

                assertThat(readUntilClosed(in)).startsWith("HTTP/1.1 200").contains("payment-service");
            } finally {
                client.shutdownNow();
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("localhost", port);
        socket.setSoTimeout(PATIENCE_MS);
        return socket;
    }

    /** Everything the gateway sends until it closes the connection; fails if it has not closed it within the patience. */
    private static String readUntilClosed(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
}
