package org.nhsv2.platform.idempotency;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class RequestFingerprintsTest {

    private static final String SECRET = "test-fingerprint-secret-0000000000000000";
    private static final Instant AT = Instant.parse("2026-11-28T10:15:30.5Z");

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

    @Test
    void shouldBeTheHmacOfTheLengthPrefixedValuesWithTheSecret() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal("2:ab;-;1:7;24:2026-11-28T10:15:30.500Z;".getBytes(StandardCharsets.UTF_8)));

        RequestFingerprints fingerprints = fingerprints(SECRET);

        assertThat(fingerprints.of("ab", null, 7, AT)).isEqualTo(expected);
        assertThat(fingerprints.of("ab", null, 7, AT)).as("nothing left over from the call before").isEqualTo(expected);
        assertThat(fingerprints(SECRET + "x").of("ab", null, 7, AT)).isNotEqualTo(expected);
    }

    @Test
    void shouldGiveEachThreadTheSameAnswersAsOneThreadAlone() {
        RequestFingerprints shared = fingerprints(SECRET);
        List<String> alone = IntStream.range(0, 2_000).mapToObj(i -> fingerprints(SECRET).of("value", i)).toList();

        List<String> together = IntStream.range(0, 2_000).parallel().mapToObj(i -> shared.of("value", i)).toList();

        assertThat(together).isEqualTo(alone);
    }
}
