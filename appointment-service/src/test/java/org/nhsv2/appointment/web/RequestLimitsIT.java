package org.nhsv2.appointment.web;

import org.junit.jupiter.api.Test;
import org.nhsv2.appointment.IntegrationTest;
import org.nhsv2.platform.testing.Api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.nhsv2.platform.testing.DemoUsers.ALICE;
import static org.nhsv2.platform.testing.DemoUsers.PAT_ONE;
import static org.nhsv2.platform.testing.DemoUsers.RIVERSIDE;

/**
 * No request body can fill the heap: one declared too large is refused before a byte of it is read,
 * one without a declared length is cut off at the limit, and many large ones at once leave the
 * service serving. Raw sockets, so the test decides exactly what is sent and when.
 */
class RequestLimitsIT extends IntegrationTest {

    private static final int NINETEEN_MB = 19 * 1024 * 1024;

    @Test
    void shouldAnswer413AtOnceWhenTheDeclaredLengthIsTooLargeWithoutWaitingForTheBody() throws IOException {
        String response = raw("POST /api/appointments/" + UUID.randomUUID() + "/cancel HTTP/1.1\r\n"
                + "Host: localhost\r\nAuthorization: Bearer " + Api.tokenOf(PAT_ONE) + "\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + NINETEEN_MB + "\r\n\r\n", null);

        assertThat(response).startsWith("HTTP/1.1 413").contains("application/problem+json")
                .contains("\"code\":\"payload-too-large\"");
    }

    @Test
    void shouldAnswer413WhenABodyWithoutDeclaredLengthReadsPastTheLimit() throws IOException {
        // Whitespace: no parser limit stops it before the body limit does.
        byte[] chunk = ("{\"reason\":" + " ".repeat(70_000)).getBytes(StandardCharsets.US_ASCII);
        String response = raw("POST /api/appointments/" + UUID.randomUUID() + "/cancel HTTP/1.1\r\n"
                + "Host: localhost\r\nAuthorization: Bearer " + Api.tokenOf(PAT_ONE) + "\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(chunk.length) + "\r\n", chunk);

        assertThat(response).startsWith("HTTP/1.1 413").contains("\"code\":\"payload-too-large\"");
    }

    /** The attack of the review: eight 19 MB cancel bodies at once filled a 384 MB heap. */
    @Test
    void shouldKeepServingWhenEightClientsSendNineteenMegabyteBodiesAtOnce() throws Exception {
        Api alice = as(ALICE);
        String id = alice.post("/api/appointments", booking(RIVERSIDE, UUID.randomUUID(), freeSlot())).text("appointmentId");
        String hugeReason = "{\"reason\":\"" + "x".repeat(NINETEEN_MB) + "\"}";
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Integer>> statuses = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                statuses.add(pool.submit(() -> {
                    HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port
                                    + "/api/appointments/" + id + "/cancel"))
                            .header("Authorization", "Bearer " + Api.tokenOf(ALICE))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(hugeReason)).build();
                    try {
                        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                    } catch (IOException closedBeforeTheBodyWasSent) {
                        return -1; // the service answered and closed the connection rather than read 19 MB
                    }
                }));
            }
            for (Future<Integer> status : statuses) {
                assertThat(status.get(60, TimeUnit.SECONDS)).isIn(413, -1);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(statuses).anySatisfy(status -> assertThat(status.get()).isEqualTo(413));

        Api.Response cancelled = alice.post("/api/appointments/" + id + "/cancel", Map.of("reason", "too big to send"));
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.text("status")).isEqualTo("CANCELLED");
    }

    /** Sends the head (and a first part of the body) without finishing it, and reads what comes back. */
    private String raw(String head, byte[] partOfBody) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            if (partOfBody != null) {
                out.write(partOfBody);
            }
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                response.write(buffer, 0, n);
                String sofar = response.toString(StandardCharsets.UTF_8);
                int bodyStart = sofar.indexOf("\r\n\r\n");
                if (bodyStart > 0 && sofar.indexOf('}', bodyStart) > 0) {
                    break; // the whole problem document is in: the connection may stay open
                }
            }
            return response.toString(StandardCharsets.UTF_8);
        }
    }
}
