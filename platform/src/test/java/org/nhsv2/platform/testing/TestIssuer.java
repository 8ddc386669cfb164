package org.nhsv2.platform.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A small OpenID issuer of the test's own (for the services' and the gateway's outage tests) on a fixed free port, which the test starts and stops (never the shared
 * Keycloak): its metadata, a JWKS with one RSA key, and tokens signed with that key or with keys it does not publish.
 */
public final class TestIssuer implements AutoCloseable {

    public static final String AUDIENCE = "nhsv2-api";

    private final int port = freePort();
    private final AtomicInteger rotations = new AtomicInteger();
    private volatile RSAKey key = generate("issuer-key");
    private final AtomicInteger keyFetches = new AtomicInteger();
    private final AtomicInteger metadataFetches = new AtomicInteger();
    private HttpServer server;

    public String uri() {
        return "http://127.0.0.1:" + port + "/realms/test";
    }

    public String keySetUri() {
        return uri() + "/protocol/openid-connect/certs";
    }

    public int metadataFetches() {
        return metadataFetches.get();
    }

    public void start() {
        listen();
        server.createContext("/realms/test/.well-known/openid-configuration", exchange -> {
            metadataFetches.incrementAndGet();
            answer(exchange, "{\"issuer\":\"" + uri() + "\",\"jwks_uri\":\"" + keySetUri() + "\"}");
        });
        server.createContext("/realms/test/protocol/openid-connect/certs", exchange -> {
            keyFetches.incrementAndGet();
            answer(exchange, new JWKSet(key.toPublicJWK()).toString());
        });
        server.start();
    }

    /** Listens but answers every request 503, as Keycloak does while it starts or behind a proxy without it. */
    public void startFailing() {
        listen();
        server.createContext("/", exchange -> {
            if (exchange.getRequestURI().getPath().endsWith("/certs")) {
                keyFetches.incrementAndGet();
            }
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        server.start();
    }

    /** Accepts connections but answers nothing for {@code silence}, as a hung Keycloak or a dropped route does. */
    public void startHanging(Duration silence) {
        listen();
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            try {
                Thread.sleep(silence.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.start();
    }

    /** A fresh server on the issuer's port, in place of any earlier one; routes are added by the caller. */
    private void listen() {
        stop();
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes the port: connections are refused, as when Keycloak is stopped. */
    public void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Requests for the keys, answered or refused with 503 (a stopped issuer sees none). */
    public int keyFetches() {
        return keyFetches.get();
    }

    /** A valid token for {@code subject}, signed with the published key. */
    public String token(String subject) {
        return sign(key, claims -> claims.subject(subject));
    }

    public String token(Consumer<JWTClaimsSet.Builder> changes) {
        return sign(key, changes);
    }

    /** Publishes a new key (a new key id) in place of the old one and signs with it from now on, as a rotation does. */
    public void rotateKey() {
        key = generate("issuer-key-" + rotations.incrementAndGet());
    }

    /** Signed with a key the issuer does not publish, under a key id it has never used. */
    public String tokenWithUnknownKey() {
        return sign(generate("rotated-key"), claims -> claims.subject("rotated"));
    }

    /** Claims the published key's id but is signed with another key. */
    public String tokenWithBadSignature() {
        return sign(generate(key.getKeyID()), claims -> claims.subject("forger"));
    }

    private String sign(RSAKey signer, Consumer<JWTClaimsSet.Builder> changes) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(uri()).audience(List.of(AUDIENCE))
                .subject("patient").issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(5))));
        changes.accept(claims);
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signer.getKeyID()).build(),
                    claims.build());
            jwt.sign(new RSASSASigner(signer));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void answer(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static RSAKey generate(String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyID(keyId).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
