package org.nhsv2.platform.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;

import java.time.Clock;
import java.time.Duration;

/**
 * The tokens this service has lately verified, so that a client's next requests with the same token skip parsing it
 * and checking its signature (a client keeps its access token for minutes; every request carries it).
 * <p>
 * The same characters checked against the same keys give the same answer, so a token is taken from here only while
 * the key set that verified it still serves unchanged and no refresh of it is due ({@link IssuerKeys.Served}): a
 * rotated or withdrawn key takes effect exactly when it would without this. What depends on the time (expiry,
 * not-before) is checked again on every use, with the issuer and audience, by the decoder's own validator; a token it
 * refuses is decoded again, which gives the usual error. Only verified tokens are kept, at most {@code capacity}.
 */
final class VerifiedTokens {

    /** Null when none are kept. */
    private final Cache<String, Verified> tokens;
    private final OAuth2TokenValidator<Jwt> validator;
    private final Clock clock;

    VerifiedTokens(int capacity, Duration keepFor, OAuth2TokenValidator<Jwt> validator, Clock clock) {
        // Evictions on the calling thread: the bound holds as each token is put, with no pool of Caffeine's own.
        this.tokens = capacity == 0 ? null : Caffeine.newBuilder().maximumSize(capacity).expireAfterWrite(keepFor)
                .executor(Runnable::run).build();
        this.validator = validator;
        this.clock = clock;
    }

    /** The token as verified with keys that still serve as {@code keys}, if it is still valid; otherwise null. */
    Jwt get(String token, IssuerKeys.Served keys) {
        Verified verified = tokens == null ? null : tokens.getIfPresent(token);
        if (verified == null) {
            return null;
        }
        if (!keys.unchangedSince(verified.keys(), clock.instant()) || validator.validate(verified.jwt()).hasErrors()) {
            tokens.invalidate(token);
            return null;
        }
        return verified.jwt();
    }

    /** Keeps a token just verified with the keys that served as {@code keys} before it was decoded. */
    void put(String token, Jwt jwt, IssuerKeys.Served keys) {
        if (tokens != null) {
            tokens.put(token, new Verified(jwt, keys));
        }
    }

    private record Verified(Jwt jwt, IssuerKeys.Served keys) {
    }
}
