package org.nhsv2.appointment.web;

import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt;

/**
 * Who calls in a test, shaped like a Keycloak access token: {@code sub} is the user id,
 * {@code realm_access.roles} the role and {@code facilities} the facility ids.
 */
record Caller(String subject, String role, List<String> facilities) {

    static Caller doctorAt(UUID... facilities) {
        return new Caller(UUID.randomUUID().toString(), "DOCTOR",
                Arrays.stream(facilities).map(UUID::toString).toList());
    }

    static Caller patient(UUID id) {
        return new Caller(id.toString(), "PATIENT", List.of());
    }

    static Caller patient() {
        return patient(UUID.randomUUID());
    }

    static Caller admin() {
        return new Caller(UUID.randomUUID().toString(), "ADMIN", List.of());
    }

    Caller withSubject(String otherSubject) {
        return new Caller(otherSubject, role, facilities);
    }

    UUID id() {
        return UUID.fromString(subject);
    }

    /** The token as the decoder would hand it over. */
    Jwt decoded() {
        return Jwt.withTokenValue(tokenValue())
                .header("alg", "RS256")
                .subject(subject)
                .claim("realm_access", Map.of("roles", List.of(role)))
                .claim("facilities", facilities)
                .issuedAt(Instant.parse("2029-12-31T23:00:00Z"))
                .expiresAt(Instant.parse("2030-01-01T01:00:00Z"))
                .build();
    }

    /** Authenticates the request directly, with the authority Keycloak's realm role maps to. */
    RequestPostProcessor token() {
        return jwt().jwt(decoded()).authorities(new SimpleGrantedAuthority("ROLE_" + role));
    }

    /** Sends the token as a bearer header, for tests that go through the decoder and the role converter. */
    RequestPostProcessor bearer() {
        return request -> {
            request.addHeader("Authorization", "Bearer " + tokenValue());
            return request;
        };
    }

    String tokenValue() {
        return "token-" + role + "-" + subject;
    }
}
