package org.nhsv2.platform.idempotency;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RequestFingerprintsTest {

    private static final String SECRET = "test-fingerprint-secret-0000000000000000";

    private static RequestFingerprints fingerprints(String secret) {
        return new RequestFingerprints(new IdempotencySettings(Duration.ofHours(24), secret));
    }

    @Test
    void shouldTellValuesApartThatWouldRunTogetherWithoutTheirLengths() {
        assertThat(fingerprints(SECRET).of("ab", "c")).isNotEqualTo(fingerprints(SECRET).of("a", "bc"));
        assertThat(fingerprints(SECRET).of("a", null)).isNotEqualTo(fingerprints(SECRET).of("a", "-"));
        assertThat(fingerprints(SECRET).of("1:a")).isNotEqualTo(fingerprints(SECRET).of(1, "a"));
    }

    @Test
    void shouldGiveTheSameHexFingerprintForTheSameValuesAndSecret() {
        assertThat(fingerprints(SECRET).of("a", 1, null)).isEqualTo(fingerprints(SECRET).of("a", 1, null))
                .matches("[0-9a-f]{64}");
    }
}
