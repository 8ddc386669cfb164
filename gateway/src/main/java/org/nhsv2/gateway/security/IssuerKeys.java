package org.nhsv2.gateway.security;

import com.nimbusds.jose.RemoteKeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The issuer's signing keys as last fetched, refreshed now and then and kept through an outage of the issuer: the
 * platform's {@code IssuerKeys} (the services' rules), without blocking.
 * <ul>
 *   <li>A key id in the last fetched set is served from it. Once the set is older than {@code refreshAfter}, a refresh
 *   is tried (at most once per {@code refreshAfter}); if the issuer does not answer, the known keys keep serving. A
 *   key the issuer has removed is refused once a refresh has seen the new set.</li>
 *   <li>An unknown key id makes one fetch (the issuer may have rotated its keys), unless a fetch succeeded less than
 *   {@code minRefetch} ago: then the key is simply unknown (no key, so 401). If that fetch fails, the key cannot be
 *   checked yet: {@link RemoteKeySourceException}, which {@link IssuerOutages} answers as the issuer being
 *   unavailable (503).</li>
 *   <li>Before the first successful fetch, every failure is such an outage.</li>
 *   <li>After a failed fetch, the issuer is not asked again for {@code minRefetch}: lookups in between are outages
 *   at once.</li>
 *   <li>Lookups that need a fetch while one is under way wait for that one (one request to the issuer, however many
 *   tokens arrive together). A lookup that gives up (its client went away) does not cancel it.</li>
 * </ul>
 * Spring's reactive decoder keeps the set it fetched forever and fetches again only for an unknown key id, so a key
 * the issuer removed stayed trusted until the gateway restarted.
 */
final class IssuerKeys {

    private static final Logger log = LoggerFactory.getLogger(IssuerKeys.class);

    private final Mono<String> keySet;
    private final Duration refreshAfter;
    private final Duration minRefetch;
    private final Clock clock;

    // Guarded by this; held only to read and change these, never while the issuer is asked.
    private JWKSet keys;
    private Instant fetchedAt = Instant.MIN;
    private Instant triedAt = Instant.MIN;
    private Throwable lastFailure;
    private Fetch pending;

    /**
     * @param keySet the issuer's JWK set document, fetched anew on each subscription (within the issuer timeout);
     *               an error or no document is a failed fetch
     */
    IssuerKeys(Mono<String> keySet, Duration refreshAfter, Duration minRefetch, Clock clock) {
        this.keySet = keySet;
        this.refreshAfter = refreshAfter;
        this.minRefetch = minRefetch;
        this.clock = clock;
    }

    /** The known keys the selector picks, after a fetch if the rules above call for one. */
    Mono<List<JWK>> get(JWKSelector selector) {
        return current().flatMap(known -> {
            List<JWK> matching = selector.select(known);
            if (!matching.isEmpty()) {
                return Mono.just(matching);
            }
            return lookUp().map(selector::select).defaultIfEmpty(matching);
        });
    }

    /** The set to look in: the known one, refreshed first when it is due (kept if that fails), or the first one. */
    private Mono<JWKSet> current() {
        return Mono.defer(() -> {
            Fetch refresh;
            JWKSet known;
            synchronized (this) {
                Instant now = clock.instant();
                if (keys == null) {
                    return fetchUnlessJustFailed(now);
                }
                known = keys;
                // A stale set waits for the refresh under way, so no removed key slips through while it runs.
                boolean refreshing = pending != null && now.isAfter(fetchedAt.plus(refreshAfter));
                if (!refreshing && !now.isAfter(triedAt.plus(refreshAfter))) {
                    return Mono.just(known);
                }
                refresh = join(now);
            }
            return refresh.result().onErrorReturn(RemoteKeySourceException.class, known);
        });
    }

    /** For a key id not in the set: the set fetched again, unless a fetch succeeded less than minRefetch ago. */
    private Mono<JWKSet> lookUp() {
        return Mono.defer(() -> {
            synchronized (this) {
                Instant now = clock.instant();
                return now.isAfter(fetchedAt.plus(minRefetch)) ? fetchUnlessJustFailed(now) : Mono.empty();
            }
        });
    }

    /**
     * At most one failed fetch per {@code minRefetch}: in between, the outage is reported without asking the issuer
     * again, so made-up key ids neither flood a struggling issuer nor make every token wait for a timeout.
     */
    private Mono<JWKSet> fetchUnlessJustFailed(Instant now) {
        if (pending == null && lastFailure != null && now.isBefore(triedAt.plus(minRefetch))) {
            return Mono.error(new RemoteKeySourceException("The issuer's keys could not be fetched at " + triedAt
                    + ": " + lastFailure, lastFailure));
        }
        return join(now).result();
    }

    /** The fetch under way, or a new one (started by the first lookup that waits for it). */
    private Fetch join(Instant now) {
        if (pending == null) {
            pending = new Fetch();
            triedAt = now;
        }
        return pending;
    }

    private void fetched(Fetch fetch, JWKSet set) {
        synchronized (this) {
            keys = set;
            fetchedAt = triedAt;
            lastFailure = null;
            pending = null;
        }
        fetch.done.complete(set);
    }

    private void failed(Fetch fetch, Throwable error) {
        JWKSet known;
        synchronized (this) {
            lastFailure = error;
            pending = null;
            known = keys;
        }
        if (known == null) {
            log.warn("Could not fetch the issuer's keys ({}); no token can be checked yet", error.toString());
        } else {
            log.warn("Could not fetch the issuer's keys ({}); the {} known keys keep serving", error.toString(),
                    known.getKeys().size());
        }
        fetch.done.completeExceptionally(new RemoteKeySourceException("The issuer's keys could not be fetched: "
                + error, error));
    }

    /** One request for the key set, shared by every lookup that waits for it. */
    private final class Fetch {

        private final CompletableFuture<JWKSet> done = new CompletableFuture<>();
        private final AtomicBoolean started = new AtomicBoolean();

        Mono<JWKSet> result() {
            return Mono.defer(() -> {
                if (started.compareAndSet(false, true)) {
                    keySet.defaultIfEmpty("")
                            .<JWKSet>handle((document, sink) -> {
                                try {
                                    sink.next(JWKSet.parse(document));
                                } catch (ParseException e) {
                                    sink.error(e);
                                }
                            })
                            .subscribe(set -> fetched(this, set), error -> failed(this, error));
                }
                // Not cancelled with one waiting lookup: the others, and the next tokens, still want the answer.
                return Mono.fromFuture(done, true);
            });
        }
    }
}
