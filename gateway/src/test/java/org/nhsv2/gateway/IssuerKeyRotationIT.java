package org.nhsv2.gateway;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The issuer (WireMock) rotates a key out, as after a leak: once the gateway's known keys are older than
 * {@code nhsv2.gateway.issuer-keys.refresh-after} (1 s here), a token signed with the removed key is 401 while one
 * signed with its successor passes. Spring's own decoder kept the first key set it fetched until a restart. (Own
 * wiring like IssuerOutageIT: the issuer URI must win over application.yml's. A fresh gateway per test, so each
 * starts with no keys.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
class IssuerKeyRotationIT {

    private static final WireMockServer ISSUER = startIssuer();
    private static final String KEYS_PATH = "/realms/rotating/protocol/openid-connect/certs";
    private static final RSAKey A = generate("key-a");
    private static final RSAKey B = generate("key-b");

    @DynamicPropertySource
    static void backendsAndIssuer(DynamicPropertyRegistry registry) {
        Backends.register(registry);
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", IssuerKeyRotationIT::issuerUri);
        registry.add("spring.security.oauth2.resourceserver.jwt.audiences", () -> "nhsv2-api");
        registry.add("nhsv2.gateway.issuer-keys.refresh-after", () -> "1s");
    }

    @LocalServerPort
    int port;

    GatewayClient gateway;

    @BeforeEach
    void setUp() {
        gateway = new GatewayClient(port);
        Backends.resetRequests();
        ISSUER.resetAll();
        ISSUER.stubFor(get("/realms/rotating/.well-known/openid-configuration").willReturn(okJson(
                "{\"issuer\":\"" + issuerUri() + "\",\"jwks_uri\":\"" + ISSUER.baseUrl() + KEYS_PATH + "\"}")));
    }

    @AfterAll
    static void stopIssuer() {
        ISSUER.stop();
    }

    @Test
    void shouldRefuseTokensSignedWithAKeyTheIssuerRemovedOnceTheKnownKeysAreRefreshed() {
        publish(A);
        String signedWithA = token(A);
        assertThat(send(signedWithA).status()).isEqualTo(200);

        publish(B);

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> send(signedWithA).assertProblem(401, "unauthenticated"));
        GatewayClient.Response signedWithB = send(token(B));
        assertThat(signedWithB.status()).isEqualTo(200);
        assertThat(signedWithB.body()).isEqualTo("appointment-service");
        send(token(A)).assertProblem(401, "unauthenticated");
    }

    @Test
    void shouldNotAskTheIssuerForEveryTokenWhileTheKnownKeysAreFresh() {
        publish(A);
        String token = token(A);

        for (int i = 0; i < 20; i++) {
            assertThat(send(token).status()).isEqualTo(200);
        }

        // 20 requests take well under the ten refresh intervals this allows, even on a loaded machine.
        assertThat(ISSUER.findAll(getRequestedFor(urlPathEqualTo(KEYS_PATH)))).hasSizeBetween(1, 10);
    }

    private static void publish(RSAKey... keys) {
        ISSUER.stubFor(get(KEYS_PATH).willReturn(okJson(
                new JWKSet(Stream.of(keys).<JWK>map(RSAKey::toPublicJWK).toList()).toString())));
    }

    private GatewayClient.Response send(String token) {
        return gateway.request("GET", "/api/appointments/a1").header("Authorization", "Bearer " + token).send();
    }

    private static String token(RSAKey key) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuerUri()).audience("nhsv2-api").subject("patient")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(5)))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static String issuerUri() {
        return ISSUER.baseUrl() + "/realms/rotating";
    }

    private static WireMockServer startIssuer() {
        WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort());
        server.start();
        return server;
    }

    private static RSAKey generate(String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyID(keyId).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
