package org.nhsv2.platform.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nhsv2.platform.testing.MutableClock;
import org.nhsv2.platform.testing.TestIssuer;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link VerifiedTokens} through the decoder that uses it, against an issuer the test starts and rotates, on a clock the
 * test moves: a token verified lately is taken as it was (the same {@link Jwt}), and checked in full again as soon as
 * the keys that checked it change, a refresh of them is due, or its claims no longer pass. A token whose check fetched
 * the keys is kept as checked with the keys from before, so it is checked once more: each test first has the keys
 * fetched.
 */
class VerifiedTokensTest {

    private static final Duration REFRESH_AFTER = Duration.ofMinutes(5);
    private static final Duration MIN_REFETCH = Duration.ofSeconds(10);

    private final TestIssuer issuer = new TestIssuer();
    private final MutableClock clock = new MutableClock();

    @BeforeEach
    void startIssuer() {
        issuer.start();
    }

    @AfterEach
    void stopIssuer() {
        issuer.close();
    }

    @Test
    void shouldTakeATokenVerifiedLatelyAsItWasAndCheckEveryTokenWhenNoneAreKept() {
        IssuerJwtDecoder decoder = decoder(2000);
        String token = issuer.token("patient");

        Jwt first = decoder.decode(token);

        assertThat(decoder.decode(token)).isSameAs(first);
        assertThat(decoder.decode(issuer.token("doctor"))).isNotSameAs(first);
        IssuerJwtDecoder checkingEveryToken = decoder(0);
        Jwt checked = checkingEveryToken.decode(token);
        assertThat(checkingEveryToken.decode(token)).isNotSameAs(checked).extracting(Jwt::getSubject)
                .isEqualTo("patient");
    }

    @Test
    void shouldCheckAKeptTokenAgainOnceTheIssuersKeysChange() {
        IssuerJwtDecoder decoder = decoder(2000);
        String signedWithTheOldKey = issuer.token("patient");
        decoder.decode(signedWithTheOldKey);

        issuer.rotateKey();
        clock.advance(MIN_REFETCH.plusSeconds(1));
        decoder.decode(issuer.token("doctor")); // an unknown key id: the keys are fetched again, without the old one

        assertThat(issuer.keyFetches()).isEqualTo(2);
        assertThatThrownBy(() -> decoder.decode(signedWithTheOldKey)).isInstanceOf(BadJwtException.class);
    }

    @Test
    void shouldCheckAKeptTokenAgainWhenARefreshOfTheKeysIsDue() {
        IssuerJwtDecoder decoder = decoder(2000);
        String token = issuer.token("patient");
        Jwt first = decoder.decode(token);

        clock.advance(REFRESH_AFTER.plusSeconds(1));
        Jwt afterRefresh = decoder.decode(token);

        assertThat(afterRefresh).isNotSameAs(first);
        assertThat(issuer.keyFetches()).isEqualTo(2);
        Jwt withTheRefreshedKeys = decoder.decode(token);
        assertThat(decoder.decode(token)).as("kept again").isSameAs(withTheRefreshedKeys);

        issuer.rotateKey();
        clock.advance(REFRESH_AFTER.plusSeconds(1));

        assertThatThrownBy(() -> decoder.decode(token)).isInstanceOf(BadJwtException.class);
        assertThat(issuer.keyFetches()).isEqualTo(3);
    }

    @Test
    void shouldRefuseAKeptTokenOnceItExpires() {
        IssuerJwtDecoder decoder = decoder(2000);
        // Spring's validator allows 60 s of clock skew: this token passes for three more seconds.
        Instant expiry = Instant.now().minusSeconds(57).truncatedTo(ChronoUnit.SECONDS); // as a token holds it
        String token = issuer.token(claims -> claims.issueTime(Date.from(expiry.minusSeconds(300)))
                .expirationTime(Date.from(expiry)));
        Jwt first = decoder.decode(token);
        assertThat(decoder.decode(token)).isSameAs(first);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThatThrownBy(() -> decoder.decode(token))
                .isInstanceOf(BadJwtException.class).hasMessageContaining("expired"));
        assertThat(Instant.now()).isAfter(expiry.plusSeconds(60));
    }

    /** A decoder that has fetched the issuer's keys. */
    private IssuerJwtDecoder decoder(int verifiedTokensKept) {
        IssuerJwtDecoder decoder = new IssuerJwtDecoder(issuer.uri(), null, List.of(TestIssuer.AUDIENCE),
                Set.of(JWSAlgorithm.RS256), new DefaultResourceRetriever(10_000, 10_000), REFRESH_AFTER, MIN_REFETCH,
                clock, verifiedTokensKept);
        decoder.decode(issuer.token("first"));
        return decoder;
    }
}
