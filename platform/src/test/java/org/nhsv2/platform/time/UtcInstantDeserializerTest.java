package org.nhsv2.platform.time;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class UtcInstantDeserializerTest {

    private final ObjectMapper jackson = JsonMapper.builder().addModule(new JavaTimeModule()).build();
    private final ObjectMapper fast = JsonMapper.builder().addModule(new JavaTimeModule())
            .addModule(UtcInstants.module()).build();

    @Test
    void shouldReadEveryInstantInJacksonsFormAsJacksonDoes() {
        Random random = new Random(20261128);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            // Every day of years 0000-9999, every time of day, 0 to 9 digits of fraction
            Instant instant = Instant.ofEpochSecond(-62_167_219_200L + (long) (random.nextDouble() * 315_569_520_000L));
            String text = instant.toString();
            int digits = random.nextInt(10);
            StringBuilder fraction = new StringBuilder(digits > 0 ? "." : "");
            for (int d = 0; d < digits; d++) {
                fraction.append((char) ('0' + random.nextInt(10)));
            }
            texts.add(text.substring(0, 19) + fraction + "Z");
        }
        texts.forEach(text -> assertThat(read(fast, text)).as(text).isEqualTo(read(jackson, text)).doesNotStartWith("!"));
        assertThat(read(fast, "2026-11-28T10:15:30.5Z")).isEqualTo("2026-11-28T10:15:30.500Z");
        assertThat(read(fast, "2024-02-29T23:59:59.123456789Z")).isEqualTo("2024-02-29T23:59:59.123456789Z");
    }

    @Test
    void shouldLeaveEveryOtherTextToJackson() {
        List<String> texts = List.of("2026-11-28T10:15:30+01:00", "2026-11-28T10:15:30+00:00", "2026-11-28T10:15:30z",
                "2026-11-28t10:15:30Z", "2026-11-28T10:15:30.Z", "2026-11-28T10:15:30.1234567890Z", "2026-11-28T10:15Z",
                "2026-11-28T24:00:00Z", "2026-11-28T23:60:00Z", "2016-12-31T23:59:60Z", "2026-02-29T10:00:00Z",
                "2026-04-31T10:00:00Z", "2026-13-01T10:00:00Z", "2026-00-01T10:00:00Z", "2026-11-00T10:00:00Z",
                "+2026-11-28T10:15:30Z", "-0001-11-28T10:15:30Z", "12026-11-28T10:15:30Z", " 2026-11-28T10:15:30Z",
                "2026-11-28T10:15:30Z ", "2026-11-28 10:15:30Z", "2026/11/28T10:15:30Z", "2026-1-28T10:15:30Z",
                "2026-11-28T10:15:3aZ", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "1700000000",
                "1700000000.5", "", "   ", "tomorrow", "2026-11-28T10:15:30ZZ", "2026-11-28T10:15:30.12a4Z");
        for (String text : texts) {
            assertThat(read(fast, text)).as(text).isEqualTo(read(jackson, text));
        }
    }

    /** The instant read, or "!" and what refused it. */
    private static String read(ObjectMapper mapper, String text) {
        try {
            return String.valueOf(mapper.readValue("\"" + text + "\"", Instant.class));
        } catch (Exception e) {
            return "! " + e.getClass().getName() + ": " + e.getMessage().lines().findFirst().orElse("");
        }
    }
}
