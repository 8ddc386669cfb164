package org.nhsv2.gateway.security;

import com.nimbusds.jose.KeySourceException;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoderInitializationException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.web.reactive.function.client.WebClientException;
import reactor.core.publisher.Mono;

import java.io.IOException;

/**
 * The issuer's decoder ({@link IssuerJwtDecoders}), telling an unreachable issuer apart from a bad token: a failure to
 * read the issuer's metadata or keys (refused, timed out, a 5xx) becomes {@link IdentityProviderUnavailableException}
 * (503); a bad token stays a {@link BadJwtException} (401).
 * <p>
 * {@link IssuerKeys} decides when a failure counts: a failed refresh leaves the known keys in place, so tokens signed
 * with them pass while the issuer is down.
 */
final class IssuerOutages implements ReactiveJwtDecoder {

    private final ReactiveJwtDecoder decoder;

    IssuerOutages(ReactiveJwtDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public Mono<Jwt> decode(String token) {
        return decoder.decode(token).onErrorMap(IssuerOutages::unreachable, IdentityProviderUnavailableException::new);
    }

    private static boolean unreachable(Throwable error) {
        if (error instanceof BadJwtException) {
            return false;
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof JwtDecoderInitializationException || cause instanceof WebClientException
                    || cause instanceof IOException || cause instanceof KeySourceException) {
                return true;
            }
        }
        return false;
    }
}
