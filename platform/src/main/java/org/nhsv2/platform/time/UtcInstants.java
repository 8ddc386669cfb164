package org.nhsv2.platform.time;

import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.module.SimpleModule;

import java.time.Instant;

/** Instants read ({@link UtcInstantDeserializer}) and written ({@link UtcInstantSerializer}) without a formatter. */
public final class UtcInstants {

    private UtcInstants() {
    }

    /** A module for a mapper that already has Jackson's {@code JavaTimeModule}, registered after it. */
    public static Module module() {
        return new SimpleModule("nhsv2-utc-instants")
                .addDeserializer(Instant.class, new UtcInstantDeserializer())
                .addSerializer(Instant.class, new UtcInstantSerializer());
    }
}
