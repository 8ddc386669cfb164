package org.nhsv2.gateway;

import org.nhsv2.platform.testing.TestIssuer;
import org.junit.jupiter.api.AfterEach;
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
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway checks tokens from an issuer the test starts and stops (never the shared Keycloak): an issuer that
 * does not answer is a 503 for tokens that cannot be checked yet, tokens signed with keys already fetched keep
 * passing, bad tokens stay 401. A fresh gateway per test, so each starts with no keys. (Own wiring like
 * ResilienceIT: the issuer URI must win over application.yml's.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
class IssuerOutageIT {

    private static final TestIssuer ISSUER = new TestIssuer();

    @DynamicPropertySource
    static void backendsAndIssuer(DynamicPropertyRegistry registry) {
        Backends.register(registry);
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", ISSUER::uri);
        registry.add("spring.security.oauth2.resourceserver.jwt.audiences", () -> TestIssuer.AUDIENCE);
        registry.add("nhsv2.gateway.issuer-timeout", () -> "1s");
        // The tests ask again at once (the issuer back, a new key id right after a fetch); the wait between fetches
        // that min-refetch imposes is IssuerKeysTest's.
        registry.add("nhsv2.gateway.issuer-keys.min-refetch", () -> "0s");
    }

    @LocalServerPort
    int port;

    GatewayClient gateway;

    @BeforeEach
    void setUp() {
        gateway = new GatewayClient(port);
        Backends.resetRequests();
    }

    @AfterEach
    void stopIssuer() {
        ISSUER.stop();
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenTheIssuerIsDownBeforeFirstUse() {
        GatewayClient.Response response = send(ISSUER.token("patient"));

        assertIssuerUnavailable(response);
    }

    @Test
    void shouldAnswer503WhenTheIssuerAnswersWithAServerError() {
        ISSUER.startFailing();
        assertIssuerUnavailable(send(ISSUER.token("patient")));

        ISSUER.start();
        String token = ISSUER.token("patient");
        assertThat(send(token).status()).isEqualTo(200);
        ISSUER.startFailing();

        assertIssuerUnavailable(send(ISSUER.tokenWithUnknownKey()));
        assertThat(send(token).status()).isEqualTo(200);
    }

    @Test
    void shouldAnswer503WithinTheIssuerTimeoutWhenTheIssuerHangs() {
        ISSUER.startHanging(Duration.ofSeconds(20));
        long started = System.nanoTime();

        GatewayClient.Response response = send(ISSUER.token("patient"));

        assertIssuerUnavailable(response);
        // Spring may ask for more than one metadata document in turn, each within the timeout.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void shouldKeepAcceptingTokensSignedWithKnownKeysWhileTheIssuerIsDown() {
        ISSUER.start();
        String token = ISSUER.token("patient");
        assertThat(send(token).status()).isEqualTo(200);

        ISSUER.stop();

        assertThat(send(token).status()).isEqualTo(200);
        GatewayClient.Response another = send(ISSUER.token("another-patient"));
        assertThat(another.status()).isEqualTo(200);
        assertThat(another.body()).isEqualTo("appointment-service");
    }

    @Test
    void shouldAnswer503ForAnUnknownKeyIdWhileTheIssuerIsDownAndKeepTheKnownKeys() {
        ISSUER.start();
        String token = ISSUER.token("patient");
        assertThat(send(token).status()).isEqualTo(200);
        ISSUER.stop();

        GatewayClient.Response unknownKey = send(ISSUER.tokenWithUnknownKey());

        assertIssuerUnavailable(unknownKey);
        assertThat(send(token).status()).as("the known key after a failed lookup").isEqualTo(200);
    }

    @Test
    void shouldAnswer401ForBadTokensWhileTheIssuerIsUp() {
        ISSUER.start();
        assertThat(send(ISSUER.token("patient")).status()).isEqualTo(200);

        send(ISSUER.tokenWithBadSignature()).assertProblem(401, "unauthenticated");
        send(ISSUER.token(claims -> claims.expirationTime(Date.from(Instant.now().minusSeconds(600)))
                .issueTime(Date.from(Instant.now().minusSeconds(900))))).assertProblem(401, "unauthenticated");
        send(ISSUER.token(claims -> claims.audience(List.of("another-api")))).assertProblem(401, "unauthenticated");
        send(ISSUER.token(claims -> claims.issuer("http://127.0.0.1:1/realms/other"))).assertProblem(401, "unauthenticated");
        send(ISSUER.tokenWithUnknownKey()).assertProblem(401, "unauthenticated");
    }

    @Test
    void shouldCheckTokensAgainWhenTheIssuerIsBack() {
        String token = ISSUER.token("patient");
        send(token).assertProblem(503, "dependency-unavailable");

        ISSUER.start();

        assertThat(send(token).status()).isEqualTo(200);
        send(ISSUER.tokenWithBadSignature()).assertProblem(401, "unauthenticated");
    }

    private static void assertIssuerUnavailable(GatewayClient.Response response) {
        response.assertProblem(503, "dependency-unavailable");
        assertThat(response.header("Retry-After")).isEqualTo("5");
        assertThat(response.json().path("detail").asText()).contains("identity provider");
    }

    private GatewayClient.Response send(String token) {
        return gateway.request("GET", "/api/appointments/a1").header("Authorization", "Bearer " + token).send();
    }
}
