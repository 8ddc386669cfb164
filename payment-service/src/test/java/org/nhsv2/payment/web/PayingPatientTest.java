package org.nhsv2.payment.web;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.ErrorResponseException;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PayingPatientTest {

    @Test
    void shouldTakeTheNameAndTheVerifiedEmailFromTheToken() {
        PayingPatient patient = PayingPatient.of(token(Map.of("name", "Pat One", "email", "pat.one@example.test",
                "email_verified", true)));

        assertThat(patient).isEqualTo(new PayingPatient("Pat One", "pat.one@example.test"));
    }

    @Test
    void shouldFallBackToTheUsernameWhenTheTokenHasNoName() {
        assertThat(PayingPatient.of(token(Map.of("email", "pat.one@example.test", "email_verified", true))).name())
                .isEqualTo("pat.one");
    }

    /** A patient who changed their email in their account (Keycloak then marks it unverified), or never verified it. */
    @Test
    void shouldRefuseAnEmailKeycloakHasNotVerified() {
        for (Map<String, Object> claims : new Map[] {
                Map.of("email", "anyone@example.test", "email_verified", false),
                Map.of("email", "anyone@example.test")}) {
            assertThatThrownBy(() -> PayingPatient.of(token(claims)))
                    .isInstanceOfSatisfying(ErrorResponseException.class, refused -> {
                        assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
                        assertThat(refused.getBody().getProperties()).containsEntry("code", "email-not-verified");
                    });
        }
    }

    private static Jwt token(Map<String, Object> claims) {
        return Jwt.withTokenValue("t").header("alg", "RS256").subject("00000000-0000-0000-0000-00000000b0b1")
                .claim("preferred_username", "pat.one").claims(all -> all.putAll(claims))
                .issuedAt(Instant.parse("2026-11-29T10:00:00Z")).expiresAt(Instant.parse("2026-11-29T11:00:00Z"))
                .build();
    }
}
