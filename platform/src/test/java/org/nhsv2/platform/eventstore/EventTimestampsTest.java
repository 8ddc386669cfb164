package org.nhsv2.platform.eventstore;

import org.axonframework.common.DateTimeUtils;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class EventTimestampsTest {

    @Test
    void shouldWriteAndReadEveryInstantAsAxonDoes() {
        Random random = new Random(20261128);
        for (int i = 0; i < 50_000; i++) {
            // Years 0000-9999, any nanosecond: Axon keeps milliseconds, cut, not rounded
            Instant instant = Instant.ofEpochSecond(-62_167_219_200L + (long) (random.nextDouble() * 315_569_520_000L),
                    random.nextInt(1_000_000_000));
            String stored = EventTimestamps.format(instant);
            assertThat(stored).isEqualTo(DateTimeUtils.formatInstant(instant));
            assertThat(EventTimestamps.parse(stored)).as(stored).isEqualTo(DateTimeUtils.parseInstant(stored));
        }
        assertThat(EventTimestamps.format(Instant.parse("2026-11-28T10:15:30.123999Z")))
                .isEqualTo("2026-11-28T10:15:30.123Z");
        assertThat(EventTimestamps.format(Instant.parse("0000-01-01T00:00:00Z"))).isEqualTo("0000-01-01T00:00:00.000Z");
    }

    /** The instant, or "!" and what refused the text. */
    private static String parsed(Function<String, Instant> parse, String stored) {
        try {
            return String.valueOf(parse.apply(stored));
        } catch (RuntimeException e) {
            return "! " + e;
        }
    }

    /** The text, or "!" and what refused the instant. */
    private static String formatted(Function<Instant, String> format, Instant instant) {
        try {
            return format.apply(instant);
        } catch (RuntimeException e) {
            return "! " + e;
        }
    }

    @Test
    void shouldLeaveOtherYearsAndFormsToAxon() {
        for (Instant instant : List.of(Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("-0001-12-31T23:59:59.999Z"),
                Instant.MAX, Instant.MIN)) {
            assertThat(formatted(EventTimestamps::format, instant)).isEqualTo(formatted(DateTimeUtils::formatInstant, instant));
        }
        assertThat(EventTimestamps.format(Instant.parse("9999-12-31T23:59:59.999Z"))).isEqualTo("9999-12-31T23:59:59.999Z");
        for (String stored : List.of("2026-11-28T10:15:30.123+01:00", "2026-11-28T10:15:30Z", "2026-11-28T10:15:30.1Z",
                "2026-11-28T10:15:30.123456789Z", "2026-11-28t10:15:30.123z", "+10000-01-01T00:00:00.000Z",
                "2016-12-31T23:59:60.000Z")) {
            assertThat(parsed(EventTimestamps::parse, stored)).as(stored)
                    .isEqualTo(parsed(DateTimeUtils::parseInstant, stored));
        }
        assertThat(parsed(EventTimestamps::parse, "2016-12-31T23:59:60.000Z")).startsWith("! ");
    }
}
