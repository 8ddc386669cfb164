package org.nhsv2.platform.time;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.Year;

/**
 * Reads an {@link Instant} in the one form Jackson writes ({@code 2026-11-28T10:15:30Z}, with 0 to 9 digits of
 * fraction) without a {@code DateTimeFormatter}, whose parse was 2 % of a service's CPU under a booking load:
 * events, saga states and request bodies all carry instants. Any other text (an offset, a number, a leap second,
 * a day that does not exist, blanks) goes to Jackson's own {@link InstantDeserializer}, which answers or refuses
 * it exactly as before; {@code UtcInstantDeserializerTest} holds both to the same answers. On the application's
 * mapper (see {@link ClockAutoConfiguration}) and on the integration messages' ({@code ContractMessageConverter}),
 * with {@link UtcInstantSerializer}: {@link UtcInstants#module()}.
 */
public final class UtcInstantDeserializer extends InstantDeserializer<Instant> {

    static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000,
            100_000_000, 1_000_000_000};

    UtcInstantDeserializer() {
        super(InstantDeserializer.INSTANT, (Boolean) null);
    }

    @Override
    protected Instant _fromString(JsonParser parser, DeserializationContext context, String text) throws IOException {
        Instant instant = parse(text);
        return instant != null ? instant : super._fromString(parser, context, text);
    }

    /**
     * The instant, or {@code null} when the text is not a valid one in exactly that form (also Axon's stored event
     * timestamps' form: {@code EventTimestamps}).
     */
    public static Instant parse(String text) {
        int length = text.length();
        if (length < 20 || length == 21 || length > 30 || text.charAt(4) != '-' || text.charAt(7) != '-'
                || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':'
                || text.charAt(length - 1) != 'Z' || length > 20 && text.charAt(19) != '.') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int fractionDigits = Math.max(length - 21, 0);
        int fraction = fractionDigits > 0 ? digits(text, 20, length - 1) : 0;
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > Month.of(month).length(Year.isLeap(year))
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || fraction < 0) {
            return null;
        }
        long epochSecond = LocalDate.of(year, month, day).toEpochDay() * 86_400 + hour * 3_600L + minute * 60L + second;
        return Instant.ofEpochSecond(epochSecond, (long) fraction * POWERS_OF_TEN[9 - fractionDigits]);
    }

    /** The decimal number in {@code text[from, to)}, or -1 if a character is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
