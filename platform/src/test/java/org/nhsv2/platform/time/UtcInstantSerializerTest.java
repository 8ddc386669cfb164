package org.nhsv2.platform.time;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class UtcInstantSerializerTest {

    private final ObjectMapper jackson = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    private final ObjectMapper fast = JsonMapper.builder().addModule(new JavaTimeModule())
            .addModule(UtcInstants.module()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    @Test
    void shouldWriteEveryInstantAsJacksonDoes() throws Exception {
        Random random = new Random(20261128);
        List<Instant> instants = new ArrayList<>(List.of(Instant.EPOCH, Instant.MIN, Instant.MAX,
                Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.parse("-0001-12-31T23:59:59Z"), Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("2024-02-29T23:59:59.1Z"), Instant.parse("2026-11-28T10:15:30.000001Z"),
                Instant.parse("1969-12-31T23:59:59.999Z")));
        int[] nanos = {0, 5_000_000, 123_000_000, 123_456_000, 100_000, 123_456_789, 1, 999_999_999};
        for (int i = 0; i < 50_000; i++) {
            // Every day of years 0000-9999, every time of day, fractions of each length
            instants.add(Instant.ofEpochSecond(-62_167_219_200L + (long) (random.nextDouble() * 315_569_520_000L),
                    i % 2 == 0 ? nanos[random.nextInt(nanos.length)] : random.nextInt(1_000_000_000)));
        }
        for (Instant instant : instants) {
            assertThat(fast.writeValueAsString(instant)).as(instant.toString())
                    .isEqualTo(jackson.writeValueAsString(instant)).isEqualTo("\"" + instant + "\"");
        }
    }

    @Test
    void shouldLeaveTimestampsAndFormatsOfTheirOwnToJackson() throws Exception {
        Instant instant = Instant.parse("2026-11-28T10:15:30.123456Z");
        ObjectMapper asNumbers = fast.copy().enable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

        assertThat(asNumbers.writeValueAsString(instant)).isEqualTo("1795860930.123456000");
        assertThat(fast.writeValueAsString(new Formatted(instant)))
                .isEqualTo(jackson.writeValueAsString(new Formatted(instant))).isEqualTo("{\"at\":\"2026-11-28\"}");
    }

    @Test
    void shouldWriteAnInstantWithAGivenNumberOfDigitsOrNotAtAllOutsideYearsZeroTo9999() {
        Instant instant = Instant.parse("2026-11-28T10:15:30.123456789Z");

        assertThat(UtcInstantSerializer.text(instant, 0)).isEqualTo("2026-11-28T10:15:30Z");
        assertThat(UtcInstantSerializer.text(instant, 3)).isEqualTo("2026-11-28T10:15:30.123Z");
        assertThat(UtcInstantSerializer.text(instant, 9)).isEqualTo("2026-11-28T10:15:30.123456789Z");
        assertThat(UtcInstantSerializer.text(Instant.parse("+10000-01-01T00:00:00Z"), 3)).isNull();
        assertThat(UtcInstantSerializer.text(Instant.parse("-0001-12-31T23:59:59Z"), 3)).isNull();
    }

    record Formatted(@JsonFormat(pattern = "yyyy-MM-dd", timezone = "UTC") Instant at) {
    }
}
