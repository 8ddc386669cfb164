package org.nhsv2.platform.security;

import org.nhsv2.platform.testing.TestIssuer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nhsv2.platform.problem.ProblemAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.security.oauth2.resource.servlet.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service's API chain (platform's security auto-configuration, Spring Boot's resource server) on a real Tomcat,
 * against an issuer the test starts and stops: an issuer that does not answer is a 503 for tokens that cannot be
 * checked yet, tokens signed with keys already fetched keep working, bad tokens stay 401.
 */
class IssuerOutageTest {

    private final TestIssuer issuer = new TestIssuer();
    private final HttpClient http = HttpClient.newHttpClient();

    private final WebApplicationContextRunner service = new WebApplicationContextRunner(
            AnnotationConfigServletWebServerApplicationContext::new)
            .withConfiguration(AutoConfigurations.of(ServletWebServerFactoryAutoConfiguration.class,
                    DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class,
                    HttpMessageConvertersAutoConfiguration.class, JacksonAutoConfiguration.class,
                    org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration.class,
                    SecurityFilterAutoConfiguration.class, OAuth2ResourceServerAutoConfiguration.class,
                    ProblemAutoConfiguration.class, SecurityAutoConfiguration.class))
            .withUserConfiguration(Api.class)
            .withPropertyValues("server.port=0", "management.server.port=",
                    "spring.security.oauth2.resourceserver.jwt.issuer-uri=" + issuer.uri(),
                    "spring.security.oauth2.resourceserver.jwt.audiences=" + TestIssuer.AUDIENCE);

    @AfterEach
    void stopIssuer() {
        issuer.close();
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenTheIssuerIsDownBeforeFirstUse() {
        service.run(context -> {
            Answer answer = get(context, issuer.token("patient"));

            assertIssuerUnavailable(answer);
            assertThat(answer.body()).contains("\"type\":\"/problems/dependency-unavailable\"");
        });
    }

    @Test
    void shouldAnswer503WhenTheIssuerAnswersWithAServerError() {
        issuer.startFailing();
        service.withPropertyValues("nhsv2.security.issuer.min-refetch=0s").run(context -> {
            assertIssuerUnavailable(get(context, issuer.token("patient")));

            issuer.start();
            String token = issuer.token("patient");
            assertThat(get(context, token).status()).isEqualTo(200);
            issuer.startFailing();

            assertIssuerUnavailable(get(context, issuer.tokenWithUnknownKey()));
            assertThat(get(context, token).status()).isEqualTo(200);
        });
    }

    @Test
    void shouldTakeTheKeysFromAConfiguredKeySetAddressWithoutTheIssuersMetadata() {
        // docker-compose: tokens name the issuer as browsers reach it, the keys are fetched inside the network.
        issuer.start();
        service.withPropertyValues("spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + issuer.keySetUri(),
                        "nhsv2.security.issuer.min-refetch=0s")
                .run(context -> {
                    assertThat(get(context, issuer.token("patient")).status()).isEqualTo(200);
                    assertThat(get(context, issuer.tokenWithBadSignature()).status()).isEqualTo(401);
                    assertThat(issuer.metadataFetches()).as("reads of the issuer's metadata").isZero();

                    issuer.stop();
                    assertIssuerUnavailable(get(context, issuer.tokenWithUnknownKey()));
                });
    }

    @Test
    void shouldAnswer503WithinTheIssuerTimeoutWhenTheIssuerHangs() {
        issuer.startHanging(Duration.ofSeconds(20));
        service.withPropertyValues("nhsv2.security.issuer.timeout=1s").run(context -> {
            long started = System.nanoTime();

            assertIssuerUnavailable(get(context, issuer.token("patient")));

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        });
    }

    @Test
    void shouldKeepAcceptingTokensSignedWithKnownKeysWhileTheIssuerIsDown() {
        issuer.start();
        // Every request finds the keys due for a refresh: the outage outlasts the refresh period.
        service.withPropertyValues("nhsv2.security.issuer.refresh-keys-after=0s").run(context -> {
            String token = issuer.token("patient");
            assertThat(get(context, token).status()).isEqualTo(200);

            issuer.stop();

            assertThat(get(context, token).body()).isEqualTo("patient");
            Answer another = get(context, issuer.token("another-patient"));
            assertThat(another.status()).isEqualTo(200);
            assertThat(another.body()).isEqualTo("another-patient");
        });
    }

    @Test
    void shouldAnswer503ForAnUnknownKeyIdWhileTheIssuerIsDownAndKeepTheKnownKeys() {
        issuer.start();
        service.withPropertyValues("nhsv2.security.issuer.min-refetch=0s").run(context -> {
            String token = issuer.token("patient");
            assertThat(get(context, token).status()).isEqualTo(200);
            issuer.stop();

            Answer unknownKey = get(context, issuer.tokenWithUnknownKey());

            assertIssuerUnavailable(unknownKey);
            assertThat(get(context, token).status()).as("the known key after a failed lookup").isEqualTo(200);
        });
    }

    @Test
    void shouldAnswer401ForBadTokensWhileTheIssuerIsUp() {
        issuer.start();
        service.run(context -> {
            assertThat(get(context, issuer.token("patient")).status()).isEqualTo(200);

            assertUnauthorized(get(context, issuer.tokenWithBadSignature()));
            assertUnauthorized(get(context, issuer.token(claims -> claims
                    .expirationTime(Date.from(Instant.now().minusSeconds(600)))
                    .issueTime(Date.from(Instant.now().minusSeconds(900))))));
            assertUnauthorized(get(context, issuer.token(claims -> claims.audience(List.of("another-api")))));
            assertUnauthorized(get(context, issuer.token(claims -> claims.issuer("http://127.0.0.1:1/realms/other"))));
        });
    }

    @Test
    void shouldNotAskTheIssuerAgainForAnUnknownKeyIdRightAfterFetchingTheKeys() {
        issuer.start();
        service.run(context -> {
            assertThat(get(context, issuer.token("patient")).status()).isEqualTo(200);
            int fetches = issuer.keyFetches();

            for (int i = 0; i < 5; i++) {
                assertUnauthorized(get(context, issuer.tokenWithUnknownKey()));
            }

            assertThat(issuer.keyFetches()).isEqualTo(fetches);
        });
    }

    @Test
    void shouldCheckTokensAgainWhenTheIssuerIsBack() {
        service.run(context -> {
            String token = issuer.token("patient");
            assertThat(get(context, token).status()).isEqualTo(503);

            issuer.start();

            assertThat(get(context, token).status()).isEqualTo(200);
            assertUnauthorized(get(context, issuer.tokenWithBadSignature()));
        });
    }

    private static void assertIssuerUnavailable(Answer answer) {
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.contentType()).isEqualTo("application/problem+json");
        assertThat(answer.body()).contains("\"code\":\"dependency-unavailable\"").contains("identity provider");
        assertThat(answer.retryAfter()).isEqualTo("5");
    }

    private static void assertUnauthorized(Answer answer) {
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.contentType()).isEqualTo("application/problem+json");
        assertThat(answer.body()).contains("\"code\":\"unauthenticated\"");
    }

    private Answer get(AssertableWebApplicationContext context, String token) throws IOException, InterruptedException {
        int port = context.getSourceApplicationContext(ServletWebServerApplicationContext.class).getWebServer().getPort();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.headers().firstValue("Retry-After").orElse(null), response.body());
    }

    private record Answer(int status, String contentType, String retryAfter, String body) {
    }

    @Configuration(proxyBeanMethods = false)
    static class Api {

        @Bean
        SecurityFilterChain api(HttpSecurity http, ProblemSecurityHandlers problems) throws Exception {
            return ApiSecurity.chain(http, problems, routes -> ApiSecurity.reads(routes, url -> url.authenticated(), "/hello"));
        }

        @Bean
        Hello hello() {
            return new Hello();
        }
    }

    @RestController
    static class Hello {

        @GetMapping("/hello")
        String hello(Principal principal) {
            return principal.getName();
        }
    }
}
