package org.nhsv2.gateway.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.RemoteKeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nhsv2.platform.testing.MutableClock;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link IssuerKeys} over time (a clock the test moves) against an issuer the test scripts: which key set it serves,
 * when it fails, and when it answers (a gate the test opens). No network, no sleeps.
 */
class IssuerKeysTest {

    private static final Duration REFRESH_AFTER = Duration.ofMinutes(5);
    private static final Duration MIN_REFETCH = Duration.ofSeconds(30);
    private static final RSAKey A = generate("key-a");
    private static final RSAKey B = generate("key-b");

    private final MutableClock clock = new MutableClock();
    private final AtomicInteger fetches = new AtomicInteger();
    private volatile Mono<String> issuer = serving(A);
    private final IssuerKeys keys = new IssuerKeys(Mono.defer(() -> {
        fetches.incrementAndGet();
        return issuer;
    }), REFRESH_AFTER, MIN_REFETCH, clock);
    private final ExecutorService lookups = Executors.newFixedThreadPool(8);

    @AfterEach
    void stopLookups() {
        lookups.shutdownNow();
    }

    @Test
    void shouldServeAKnownKeyWithoutAskingTheIssuerAgainWhileTheSetIsFresh() {
        assertThat(lookUp("key-a")).containsExactly("key-a");
        clock.advance(REFRESH_AFTER.minusSeconds(1));

        assertThat(lookUp("key-a")).containsExactly("key-a");
        assertThat(fetches).hasValue(1);
    }

    @Test
    void shouldRefuseARemovedKeyOnceARefreshHasSeenTheNewSet() {
        assertThat(lookUp("key-a")).containsExactly("key-a");
        issuer = serving(B);
        clock.advance(REFRESH_AFTER.plusSeconds(1));

        assertThat(lookUp("key-a")).as("removed at the issuer").isEmpty();
        assertThat(lookUp("key-b")).containsExactly("key-b");
        assertThat(fetches).as("the first fetch and one refresh").hasValue(2);
    }

    @Test
    void shouldKeepServingTheKnownKeysWhenARefreshFails() {
        assertThat(lookUp("key-a")).containsExactly("key-a");
        issuer = down();
        clock.advance(REFRESH_AFTER.plusSeconds(1));

        assertThat(lookUp("key-a")).containsExactly("key-a");
        clock.advance(REFRESH_AFTER.minusSeconds(1));
        assertThat(lookUp("key-a")).containsExactly("key-a");
        assertThat(fetches).as("one refresh tried per refresh-after").hasValue(2);
    }

    @Test
    void shouldLookUpAnUnknownKeyIdOnceAndNotAgainBeforeMinRefetch() {
        assertThat(lookUp("key-a")).containsExactly("key-a");
        issuer = serving(A, B);
        clock.advance(MIN_REFETCH.plusSeconds(1));

        assertThat(lookUp("key-b")).as("rotated in at the issuer").containsExactly("key-b");
        assertThat(lookUp("key-c")).as("a fetch just succeeded").isEmpty();
        assertThat(lookUp("key-c")).isEmpty();
        assertThat(fetches).hasValue(2);

        clock.advance(MIN_REFETCH.plusSeconds(1));
        assertThat(lookUp("key-c")).isEmpty();
        assertThat(fetches).hasValue(3);
    }

    @Test
    void shouldReportAnOutageForAnUnknownKeyIdWhenTheIssuerDoesNotAnswerAndKeepTheKnownKeys() {
        assertThat(lookUp("key-a")).containsExactly("key-a");
        issuer = down();
        clock.advance(MIN_REFETCH.plusSeconds(1));

        assertThatThrownBy(() -> lookUp("key-b")).hasCauseInstanceOf(RemoteKeySourceException.class);
        assertThatThrownBy(() -> lookUp("key-b")).as("not asked again at once")
                .hasCauseInstanceOf(RemoteKeySourceException.class);
        assertThat(lookUp("key-a")).containsExactly("key-a");
        assertThat(fetches).hasValue(2);
    }

    @Test
    void shouldReportEveryFailureBeforeTheFirstFetchAsAnOutageAndAskAgainOnlyAfterMinRefetch() {
        issuer = down();

        assertThatThrownBy(() -> lookUp("key-a")).hasCauseInstanceOf(RemoteKeySourceException.class);
        issuer = serving(A);
        assertThatThrownBy(() -> lookUp("key-a")).as("within min-refetch of the failure")
                .hasCauseInstanceOf(RemoteKeySourceException.class);
        assertThat(fetches).hasValue(1);

        clock.advance(MIN_REFETCH.plusSeconds(1));
        assertThat(lookUp("key-a")).containsExactly("key-a");
        assertThat(fetches).hasValue(2);
    }

    @Test
    void shouldReportAKeySetThatIsNotOneAsAnOutage() {
        issuer = Mono.just("<html>Keycloak is starting</html>");

        assertThatThrownBy(() -> lookUp("key-a")).hasCauseInstanceOf(RemoteKeySourceException.class);
    }

    @Test
    void shouldShareOneFetchWhenConcurrentLookupsNeedTheFirstSet() {
        Sinks.One<String> answer = Sinks.one();
        issuer = answer.asMono();

        List<CompletableFuture<List<JWK>>> waiting = lookUpConcurrently("key-a", 20);
        assertThat(waiting).noneMatch(CompletableFuture::isDone);
        answer.tryEmitValue(new JWKSet(A.toPublicJWK()).toString());

        assertThat(waiting).allSatisfy(lookup -> assertThat(lookup.join()).extracting(JWK::getKeyID)
                .containsExactly("key-a"));
        assertThat(fetches).hasValue(1);
    }

    @Test
    void shouldShareOneFetchWhenConcurrentLookupsFindTheSetDue() {
        assertThat(lookUp("key-a")).containsExactly("key-a");
        Sinks.One<String> answer = Sinks.one();
        issuer = answer.asMono();
        clock.advance(REFRESH_AFTER.plusSeconds(1));

        List<CompletableFuture<List<JWK>>> waiting = lookUpConcurrently("key-a", 20);
        answer.tryEmitValue(new JWKSet(B.toPublicJWK()).toString());

        assertThat(waiting).allSatisfy(lookup -> assertThat(lookup.join()).isEmpty());
        assertThat(fetches).hasValue(2);
    }

    @Test
    void shouldFinishTheSharedFetchWhenTheLookupThatStartedItGivesUp() {
        Sinks.One<String> answer = Sinks.one();
        issuer = answer.asMono();
        Disposable first = keys.get(selector("key-a")).subscribe();
        CompletableFuture<List<JWK>> second = keys.get(selector("key-a")).toFuture();

        first.dispose();
        answer.tryEmitValue(new JWKSet(A.toPublicJWK()).toString());

        assertThat(second.join()).extracting(JWK::getKeyID).containsExactly("key-a");
        assertThat(lookUp("key-a")).containsExactly("key-a");
        assertThat(fetches).hasValue(1);
    }

    private List<String> lookUp(String keyId) {
        return keys.get(selector(keyId)).block(Duration.ofSeconds(5)).stream().map(JWK::getKeyID).toList();
    }

    /** Lookups started from several threads; none can finish before the issuer answers. */
    private List<CompletableFuture<List<JWK>>> lookUpConcurrently(String keyId, int count) {
        List<CompletableFuture<CompletableFuture<List<JWK>>>> started = IntStream.range(0, count)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> keys.get(selector(keyId)).toFuture(), lookups))
                .toList();
        return started.stream().map(CompletableFuture::join).toList();
    }

    /** What the gateway's decoder asks for: the key a token's header names. */
    private static JWKSelector selector(String keyId) {
        return new JWKSelector(JWKMatcher.forJWSHeader(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId).build()));
    }

    private static Mono<String> serving(RSAKey... published) {
        return Mono.just(new JWKSet(Stream.of(published).<JWK>map(RSAKey::toPublicJWK).toList()).toString());
    }

    private static Mono<String> down() {
        return Mono.error(new ConnectException("Connection refused"));
    }

    private static RSAKey generate(String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyID(keyId).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
