package org.nhsv2.platform.security;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.RemoteKeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.ResourceRetriever;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URL;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The issuer's signing keys as last fetched, kept through an outage of the issuer.
 * <ul>
 *   <li>A key id in the last fetched set is served from it. Once the set is older than {@code refreshAfter}, a refresh
 *   is tried (at most once per {@code refreshAfter}); if the issuer does not answer, the known keys keep serving.</li>
 *   <li>An unknown key id makes one fetch (the issuer may have rotated its keys), unless a fetch succeeded less than
 *   {@code minRefetch} ago: then the key is simply unknown (401). If that fetch fails, the key cannot be checked yet:
 *   {@link RemoteKeySourceException}, which {@link IssuerJwtDecoder} answers as the issuer being unavailable (503).</li>
 *   <li>Before the first successful fetch, every failure is such an outage.</li>
 *   <li>After a failed fetch, the issuer is not asked again for {@code minRefetch}: lookups in between are outages
 *   (503) at once.</li>
 * </ul>
 * Nimbus's own cache (what Spring builds by default) forgets the keys five minutes after the last fetch, and
 * Spring's {@code cache(Cache)} variant empties the cache before a refresh, so an outage that outlives either makes
 * every token fail.
 * <p>
 * {@link #served()} tells which fetched set serves and until when without a refresh being tried, so that an answer
 * given with these keys can be kept exactly as long as these keys would give it (see {@link VerifiedTokens}).
 */
final class IssuerKeys implements JWKSource<SecurityContext> {

    private static final Logger log = LoggerFactory.getLogger(IssuerKeys.class);

    private final URL jwkSetUrl;
    private final ResourceRetriever retriever;
    private final Duration refreshAfter;
    private final Duration minRefetch;
    private final Clock clock;

    private JWKSet keys;
    private Instant fetchedAt = Instant.MIN;
    private Instant triedAt = Instant.MIN;
    private Exception lastFailure;
    private volatile Served served = new Served(0, Instant.MIN);

    IssuerKeys(URL jwkSetUrl, ResourceRetriever retriever, Duration refreshAfter, Duration minRefetch, Clock clock) {
        this.jwkSetUrl = jwkSetUrl;
        this.retriever = retriever;
        this.refreshAfter = refreshAfter;
        this.minRefetch = minRefetch;
        this.clock = clock;
    }

    @Override
    public synchronized List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        Instant now = clock.instant();
        if (keys == null) {
            fetchUnlessJustFailed(now);
        } else if (now.isAfter(triedAt.plus(refreshAfter))) {
            try {
                fetch(now);
            } catch (RemoteKeySourceException e) {
                log.warn("Could not refresh the issuer's keys from {} ({}); the {} known keys keep serving", jwkSetUrl,
                        e.getMessage(), keys.getKeys().size());
            }
        }
        List<JWK> matching = selector.select(keys);
        if (matching.isEmpty() && now.isAfter(fetchedAt.plus(minRefetch))) {
            fetchUnlessJustFailed(now);
            matching = selector.select(keys);
        }
        return matching;
    }

    /**
     * At most one failed fetch per {@code minRefetch}: in between, the outage is reported without asking the issuer
     * again, so made-up key ids neither flood a struggling issuer nor hold this lock (and the known keys) for a
     * timeout each.
     */
    private void fetchUnlessJustFailed(Instant now) throws RemoteKeySourceException {
        if (lastFailure != null && now.isBefore(triedAt.plus(minRefetch))) {
            throw new RemoteKeySourceException("The issuer's keys at " + jwkSetUrl + " could not be fetched at "
                    + triedAt + ": " + lastFailure, lastFailure);
        }
        fetch(now);
    }

    private void fetch(Instant now) throws RemoteKeySourceException {
        triedAt = now;
        try {
            keys = JWKSet.parse(retriever.retrieveResource(jwkSetUrl).getContent());
            fetchedAt = now;
            lastFailure = null;
            served = new Served(served.fetch() + 1, now.plus(refreshAfter));
        } catch (IOException | ParseException e) {
            lastFailure = e;
            served = new Served(served.fetch(), now.plus(refreshAfter));
            throw new RemoteKeySourceException("The issuer's keys at " + jwkSetUrl + " could not be fetched: " + e, e);
        }
    }

    /** The key set serving now; read without the lock. */
    Served served() {
        return served;
    }

    /**
     * @param fetch        counts the successful fetches: the same number, the same keys (0: none fetched yet)
     * @param refreshAfter the next lookup after this tries a refresh, which may change the keys
     */
    record Served(long fetch, Instant refreshAfter) {

        /** Whether keys that served as {@code earlier} still serve unchanged at {@code now}, with no refresh due. */
        boolean unchangedSince(Served earlier, Instant now) {
            return earlier.fetch == fetch && fetch > 0 && !now.isAfter(refreshAfter);
        }
    }
}
