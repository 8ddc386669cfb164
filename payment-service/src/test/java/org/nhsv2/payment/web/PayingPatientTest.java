package org.nhsv2.payment.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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

    /** The name as a doctor's request would be normalised: spaces of any kind counted as spaces, ends stripped. */
    @Test
    void shouldNormaliseTheNameFromTheAccount() {
        assertThat(PayingPatient.of(token(Map.of("name", "\u00a0Pat\u2003One ", "email", " pat.one@example.test",
                "email_verified", true)))).isEqualTo(new PayingPatient("Pat One", "pat.one@example.test"));
    }

    /**
     * A patient may rename themselves in their account: a direction override or an invisible character would reach
     * doctors' views and the emails as typed, and an address no provider takes would fail the payment link unseen.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Pat\u202eenO         | pat.one@example.test       | holds U+202E",
            "Pat\u200bOne         | pat.one@example.test       | holds U+200B",
            "Pat\u2028One         | pat.one@example.test       | holds U+2028",
            "Pat One              | pat.one@exämple.test       | email address is not one plain address",
            "Pat One              | Pat <pat.one@example.test> | email address is not one plain address"})
    void shouldRefuseAccountDetailsADoctorCouldNotHaveEntered(String name, String email, String detail) {
        assertThatThrownBy(() -> PayingPatient.of(token(Map.of("name", name, "email", email, "email_verified", true))))
                .isInstanceOfSatisfying(ErrorResponseException.class, refused -> {
                    assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
                    assertThat(refused.getBody().getProperties()).containsEntry("code", "account-details-unusable");
                    assertThat(refused.getBody().getDetail()).contains(detail);
                });
    }

    @Test
    void shouldRefuseANameLongerThanADoctorMayEnter() {
        assertThatThrownBy(() -> PayingPatient.of(token(Map.of("name", "P".repeat(201), "email", "pat.one@example.test",
                "email_verified", true))))
                .isInstanceOfSatisfying(ErrorResponseException.class, refused ->
                        assertThat(refused.getBody().getDetail()).contains("longer than 200"));
        assertThat(PayingPatient.of(token(Map.of("name", "P".repeat(200), "email", "pat.one@example.test",
                "email_verified", true))).name()).hasSize(200);
    }

    private static Jwt token(Map<String, Object> claims) {
        return Jwt.withTokenValue("t").header("alg", "RS256").subject("00000000-0000-0000-0000-00000000b0b1")
                .claim("preferred_username", "pat.one").claims(all -> all.putAll(claims))
                .issuedAt(Instant.parse("2026-11-29T10:00:00Z")).expiresAt(Instant.parse("2026-11-29T11:00:00Z"))
                .build();
    }
}
