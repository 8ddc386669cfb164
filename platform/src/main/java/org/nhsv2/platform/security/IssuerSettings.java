package org.nhsv2.platform.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How the services keep the issuer's signing keys (see {@link IssuerKeys}).
 *
 * @param refreshKeysAfter how old the known keys may get before a refresh is tried; if the issuer does not answer,
 *                         they keep serving
 * @param minRefetch       an unknown key id is looked up at the issuer only if the last successful fetch is older
 *                         than this (a flood of made-up key ids cannot flood the issuer); younger, it is unknown (401).
 *                         After a failed fetch the issuer is not asked again for this long (503 at once)
 * @param timeout          connect and read timeout for the issuer's metadata and keys
 * @param verifiedTokensKept how many verified tokens are kept, so that a client's next requests with the same token
 *                         skip its signature check while the keys that checked it serve unchanged (see
 *                         {@link VerifiedTokens}); a few kilobytes each; 0 checks every request's token in full
 */
@ConfigurationProperties("nhsv2.security.issuer")
public record IssuerSettings(@DefaultValue("5m") Duration refreshKeysAfter, @DefaultValue("10s") Duration minRefetch,
                             @DefaultValue("2s") Duration timeout, @DefaultValue("2000") int verifiedTokensKept) {

    public IssuerSettings {
        if (verifiedTokensKept < 0) {
            throw new IllegalArgumentException("nhsv2.security.issuer.verified-tokens-kept must be 0 or more, not "
                    + verifiedTokensKept);
        }
    }
}
