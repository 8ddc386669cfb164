package org.nhsv2.gateway.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSecurityContextJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import org.nhsv2.gateway.config.GatewayProperties;
import org.springframework.boot.autoconfigure.security.oauth2.resource.OAuth2ResourceServerProperties;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The decoder Spring Boot builds from {@code spring.security.oauth2.resourceserver.jwt} (issuer, signature, expiry and
 * not-before, audience), with the issuer's keys kept by {@link IssuerKeys} instead of Spring's forever cache.
 * <p>
 * The keys come from {@code jwk-set-uri} when it is set (then the issuer is checked in the tokens only, as Boot does:
 * in docker-compose tokens name the issuer as browsers reach it while the keys come from inside the network), else
 * from the {@code jwks_uri} of the issuer's OpenID metadata, read on first use (the gateway starts while Keycloak is
 * down) and kept once read. Signature algorithms: {@code jws-algorithms} (Boot's default RS256); a token signed
 * otherwise is refused without a look at the keys.
 */
final class IssuerJwtDecoders {

    private static final ParameterizedTypeReference<Map<String, Object>> METADATA = new ParameterizedTypeReference<>() {
    };
    private static final Duration FOREVER = Duration.ofMillis(Long.MAX_VALUE);

    private IssuerJwtDecoders() {
    }

    /** @param issuer the client for the issuer's metadata and keys (with the issuer timeout) */
    static ReactiveJwtDecoder create(OAuth2ResourceServerProperties.Jwt settings, GatewayProperties.IssuerKeys refresh,
                                     WebClient issuer, Clock clock) {
        Mono<String> jwkSetUri = jwkSetUri(settings, issuer);
        IssuerKeys keys = new IssuerKeys(jwkSetUri.flatMap(uri -> issuer.get().uri(URI.create(uri)).retrieve()
                .bodyToMono(String.class)), refresh.refreshAfter(), refresh.minRefetch(), clock);
        Set<JWSAlgorithm> algorithms = settings.getJwsAlgorithms().stream().map(JWSAlgorithm::parse)
                .collect(Collectors.toUnmodifiableSet());
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder
                // No keys for another algorithm: the key selector below refuses the token (401).
                .withJwkSource(token -> algorithms.contains(token.getHeader().getAlgorithm())
                        ? keys.get(new JWKSelector(JWKMatcher.forJWSHeader(token.getHeader())))
                        .flatMapIterable(matching -> matching)
                        : Flux.empty())
                .jwtProcessorCustomizer(processor -> processor.setJWSKeySelector(
                        new JWSVerificationKeySelector<>(algorithms, new JWKSecurityContextJWKSet())))
                .build();
        decoder.setJwtValidator(validator(settings));
        return decoder;
    }

    private static Mono<String> jwkSetUri(OAuth2ResourceServerProperties.Jwt settings, WebClient issuer) {
        if (settings.getJwkSetUri() != null) {
            return Mono.just(settings.getJwkSetUri());
        }
        if (settings.getIssuerUri() == null) {
            throw new IllegalStateException("spring.security.oauth2.resourceserver.jwt.issuer-uri (or jwk-set-uri)"
                    + " must be set: the gateway checks every token");
        }
        return jwkSetUriFromMetadata(settings.getIssuerUri(), issuer);
    }

    /** The {@code jwks_uri} of the issuer's OpenID metadata, which must name the same issuer; read until it is read. */
    private static Mono<String> jwkSetUriFromMetadata(String issuerUri, WebClient issuer) {
        URI metadata = URI.create(issuerUri.replaceAll("/$", "") + "/.well-known/openid-configuration");
        return issuer.get().uri(metadata).retrieve().bodyToMono(METADATA)
                .flatMap(configuration -> {
                    if (!issuerUri.equals(configuration.get("issuer"))) {
                        return Mono.error(new IllegalStateException("The metadata at " + metadata + " names issuer "
                                + configuration.get("issuer") + ", not " + issuerUri));
                    }
                    if (!(configuration.get("jwks_uri") instanceof String jwksUri)) {
                        return Mono.error(new IllegalStateException("The metadata at " + metadata
                                + " names no jwks_uri"));
                    }
                    return Mono.just(jwksUri);
                })
                .cache(jwksUri -> FOREVER, error -> Duration.ZERO, () -> Duration.ZERO);
    }

    /** Boot's: the standard checks (with the issuer when it is known) and, when configured, the audience. */
    private static OAuth2TokenValidator<Jwt> validator(OAuth2ResourceServerProperties.Jwt settings) {
        OAuth2TokenValidator<Jwt> standard = settings.getIssuerUri() != null
                ? JwtValidators.createDefaultWithIssuer(settings.getIssuerUri())
                : JwtValidators.createDefault();
        List<String> audiences = settings.getAudiences();
        if (audiences.isEmpty()) {
            return standard;
        }
        return new DelegatingOAuth2TokenValidator<>(standard, new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
                audience -> audience != null && !Collections.disjoint(audience, audiences)));
    }
}
