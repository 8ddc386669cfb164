package org.nhsv2.platform.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.ResourceRetriever;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the issuer's tokens (signature from its JWKS, issuer, expiry and, when configured, audience), as Spring
 * Boot's decoder for {@code issuer-uri} does, and tells an unreachable issuer apart from a bad token.
 * <p>
 * The issuer's metadata is read on first use, not at startup (a service starts while Keycloak is down), and never
 * again once read. The keys are kept by {@link IssuerKeys}, so tokens signed with known keys keep being accepted
 * while the issuer is down. A token that cannot be checked yet (metadata or keys unreachable) raises
 * {@link IdentityProviderUnavailableException} (503); a bad token still raises a {@link BadJwtException} (401).
 * A token verified lately is taken from {@link VerifiedTokens} while those keys serve unchanged, its claims validated
 * again: parsing and the signature check are most of what a request's authentication costs.
 */
public class IssuerJwtDecoder implements JwtDecoder {

    private final String issuer;
    private final URL configuredJwkSetUrl;
    private final Collection<String> audiences;
    private final Set<JWSAlgorithm> algorithms;
    private final ResourceRetriever retriever;
    private final Duration refreshAfter;
    private final Duration minRefetch;
    private final Clock clock;
    private final int verifiedTokensKept;
    private volatile Verifier verifier;

    /**
     * @param jwkSetUrl where the issuer's keys are, when configured ({@code jwk-set-uri}); then the issuer's metadata is
     *                  not read and the issuer is checked in the tokens only, as Spring Boot does with both set. So in
     *                  docker-compose tokens name the issuer as browsers reach it while the keys come from inside the
     *                  network. {@code null}: the {@code jwks_uri} of the issuer's metadata.
     * @param verifiedTokensKept how many verified tokens are kept to skip their signature check on the next request
     *                  ({@link VerifiedTokens}); 0 checks every request's token in full
     */
    public IssuerJwtDecoder(String issuer, URL jwkSetUrl, Collection<String> audiences, Set<JWSAlgorithm> algorithms,
                            ResourceRetriever retriever, Duration refreshAfter, Duration minRefetch, Clock clock,
                            int verifiedTokensKept) {
        this.issuer = issuer;
        this.configuredJwkSetUrl = jwkSetUrl;
        this.audiences = List.copyOf(audiences);
        this.algorithms = Set.copyOf(algorithms);
        this.retriever = retriever;
        this.refreshAfter = refreshAfter;
        this.minRefetch = minRefetch;
        this.clock = clock;
        this.verifiedTokensKept = verifiedTokensKept;
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Verifier current = verifier != null ? verifier : build();
        IssuerKeys.Served keys = current.keys().served();
        Jwt known = current.verified().get(token, keys);
        if (known != null) {
            return known;
        }
        Jwt jwt = decode(current.decoder(), token);
        current.verified().put(token, jwt, keys);
        return jwt;
    }

    private static Jwt decode(JwtDecoder decoder, String token) {
        try {
            return decoder.decode(token);
        } catch (BadJwtException e) {
            throw e;
        } catch (JwtException e) {
            if (causedBy(e, KeySourceException.class)) {
                throw new IdentityProviderUnavailableException("The issuer's keys cannot be fetched", e);
            }
            throw e;
        }
    }

    private synchronized Verifier build() {
        if (verifier != null) {
            return verifier;
        }
        URL jwkSetUrl = configuredJwkSetUrl != null ? configuredJwkSetUrl : jwkSetUrlFromMetadata();
        IssuerKeys keys = new IssuerKeys(jwkSetUrl, retriever, refreshAfter, minRefetch, clock);
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(jwkSetUrl.toString())
                .jwtProcessorCustomizer(processor -> processor.setJWSKeySelector(
                        new JWSVerificationKeySelector<SecurityContext>(algorithms, keys)))
                .build();
        OAuth2TokenValidator<Jwt> validator = validator();
        decoder.setJwtValidator(validator);
        verifier = new Verifier(decoder, keys,
                new VerifiedTokens(verifiedTokensKept, refreshAfter, validator, clock));
        return verifier;
    }

    /** What checks the tokens, made on first use: the decoder, the keys it checks signatures with, the tokens it passed. */
    private record Verifier(JwtDecoder decoder, IssuerKeys keys, VerifiedTokens verified) {
    }

    /** The issuer's {@code jwks_uri} from its OpenID metadata, which must name the same issuer. */
    private URL jwkSetUrlFromMetadata() {
        String metadata = issuer.replaceAll("/$", "") + "/.well-known/openid-configuration";
        try {
            Map<String, Object> configuration = JSONObjectUtils.parse(
                    retriever.retrieveResource(URI.create(metadata).toURL()).getContent());
            if (!issuer.equals(configuration.get("issuer"))) {
                throw new IllegalStateException("The metadata at " + metadata + " names issuer "
                        + configuration.get("issuer") + ", not " + issuer);
            }
            return URI.create((String) configuration.get("jwks_uri")).toURL();
        } catch (IOException | ParseException e) {
            throw new IdentityProviderUnavailableException("The issuer's metadata at " + metadata
                    + " cannot be read", e);
        }
    }

    private OAuth2TokenValidator<Jwt> validator() {
        OAuth2TokenValidator<Jwt> standard = JwtValidators.createDefaultWithIssuer(issuer);
        if (audiences.isEmpty()) {
            return standard;
        }
        return new DelegatingOAuth2TokenValidator<>(standard, new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
                audience -> audience != null && !Collections.disjoint(audience, audiences)));
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
