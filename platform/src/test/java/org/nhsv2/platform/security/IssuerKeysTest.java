package org.nhsv2.platform.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.RemoteKeySourceException;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nhsv2.platform.testing.MutableClock;
import org.nhsv2.platform.testing.TestIssuer;

import java.net.URI;
import java.text.ParseException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link IssuerKeys} over time (a clock the test moves), against an issuer the test starts, stops and breaks. */
class IssuerKeysTest {

    private final TestIssuer issuer = new TestIssuer();
    private final MutableClock clock = new MutableClock();
    /**
     * Generous timeouts: the issuer here answers at once or with a 503, and a fetch that merely took over a second on
     * a loaded machine would count as a failure and change what the test counts (seen: 3 fetches for 2 under load).
     */
    private final IssuerKeys keys = new IssuerKeys(url(), new DefaultResourceRetriever(10_000, 10_000),
            Duration.ofMinutes(5), Duration.ofSeconds(10), clock);

    @AfterEach
    void stopIssuer() {
        issuer.close();
    }

    @Test
    void shouldKeepServingTheKnownKeysWhenARefreshFails() throws Exception {
        issuer.start();
        assertThat(keys.get(selector(issuer.token("patient")), null)).hasSize(1);
        issuer.startFailing();

        clock.advance(Duration.ofHours(2));

        assertThat(keys.get(selector(issuer.token("patient")), null)).hasSize(1);
        assertThat(issuer.keyFetches()).as("one refresh tried, and failed").isEqualTo(2);
    }

    @Test
    void shouldAskTheIssuerAgainAfterAFailureOnlyOncePerMinRefetch() throws Exception {
        issuer.start();
        keys.get(selector(issuer.token("patient")), null);
        issuer.startFailing();
        clock.advance(Duration.ofSeconds(11));

        assertThatThrownBy(() -> keys.get(selector(issuer.tokenWithUnknownKey()), null))
                .isInstanceOf(RemoteKeySourceException.class);
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> keys.get(selector(issuer.tokenWithUnknownKey()), null))
                    .isInstanceOf(RemoteKeySourceException.class);
        }
        assertThat(keys.get(selector(issuer.token("patient")), null)).hasSize(1);
        assertThat(issuer.keyFetches()).as("the first fetch and one failed lookup").isEqualTo(2);

        issuer.start();
        clock.advance(Duration.ofSeconds(11));

        assertThat(keys.get(selector(issuer.tokenWithUnknownKey()), null)).as("really unknown").isEmpty();
        assertThat(issuer.keyFetches()).isEqualTo(3);
    }

    private static JWKSelector selector(String token) throws ParseException {
        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        return new JWKSelector(JWKMatcher.forJWSHeader(jwt.getHeader()));
    }

    private java.net.URL url() {
        try {
            return URI.create(issuer.uri() + "/protocol/openid-connect/certs").toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }
}
