package org.nhsv2.platform.time;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.datatype.jsr310.ser.InstantSerializer;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Writes an {@link Instant} as Jackson does, in {@code Instant.toString()}'s text ({@code 2026-11-28T10:15:30Z}, the
 * fraction in groups of three digits, none when it is zero), without the {@code DateTimeFormatter} behind
 * {@code toString()}: events, saga states, answers and integration messages all carry instants. Years 0-9999; any
 * other instant, and any property with a format of its own, is written by Jackson's {@link InstantSerializer} as
 * before. {@code UtcInstantSerializerTest} holds it to {@code toString()}.
 */
public final class UtcInstantSerializer extends InstantSerializer {

    /** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z. */
    private static final long FIRST_SECOND = -62_167_219_200L;
    private static final long LAST_SECOND = 253_402_300_799L;

    UtcInstantSerializer() {
    }

    private UtcInstantSerializer(UtcInstantSerializer base, Boolean useTimestamp, DateTimeFormatter formatter,
                                 JsonFormat.Shape shape) {
        super(base, useTimestamp, formatter, shape);
    }

    private UtcInstantSerializer(UtcInstantSerializer base, Boolean useTimestamp, Boolean useNanoseconds,
                                 DateTimeFormatter formatter) {
        super(base, useTimestamp, useNanoseconds, formatter);
    }

    /** Jackson makes each property's serializer from this one, with the property's format: this class again. */
    @Override
    protected InstantSerializer withFormat(Boolean useTimestamp, DateTimeFormatter formatter, JsonFormat.Shape shape) {
        return new UtcInstantSerializer(this, useTimestamp, formatter, shape);
    }

    @Override
    protected InstantSerializer withFeatures(Boolean writeZoneId, Boolean writeNanoseconds) {
        return new UtcInstantSerializer(this, _useTimestamp, writeNanoseconds, _formatter);
    }

    @Override
    protected String formatValue(Instant value, SerializerProvider provider) {
        return _formatter == null ? format(value) : super.formatValue(value, provider);
    }

    /** {@code instant.toString()}, the same text. */
    public static String format(Instant instant) {
        String text = text(instant, fractionDigits(instant.getNano()));
        return text != null ? text : instant.toString();
    }

    /**
     * The instant in UTC with exactly {@code fractionDigits} digits of its fraction of a second (0 to 9, the rest
     * cut off), or {@code null} outside the years 0-9999.
     */
    public static String text(Instant instant, int fractionDigits) {
        if (instant.getEpochSecond() < FIRST_SECOND || instant.getEpochSecond() > LAST_SECOND) {
            return null;
        }
        LocalDateTime time = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        char[] text = new char[fractionDigits == 0 ? 20 : 21 + fractionDigits];
        put(text, 0, 4, time.getYear());
        text[4] = '-';
        put(text, 5, 2, time.getMonthValue());
        text[7] = '-';
        put(text, 8, 2, time.getDayOfMonth());
        text[10] = 'T';
        put(text, 11, 2, time.getHour());
        text[13] = ':';
        put(text, 14, 2, time.getMinute());
        text[16] = ':';
        put(text, 17, 2, time.getSecond());
        if (fractionDigits > 0) {
            text[19] = '.';
            put(text, 20, fractionDigits, instant.getNano() / UtcInstantDeserializer.POWERS_OF_TEN[9 - fractionDigits]);
        }
        text[text.length - 1] = 'Z';
        return new String(text);
    }

    /** As {@code DateTimeFormatter.ISO_INSTANT} prints a fraction: none, or as many groups of three as it needs. */
    private static int fractionDigits(int nano) {
        return nano == 0 ? 0 : nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
    }

    /** {@code value}'s last {@code digits} decimal digits into {@code text} from {@code at}. */
    private static void put(char[] text, int at, int digits, int value) {
        for (int i = at + digits - 1; i >= at; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
