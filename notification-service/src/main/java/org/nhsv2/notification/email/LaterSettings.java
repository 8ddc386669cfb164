package org.nhsv2.notification.email;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * How long an email request waits when the provider could not take it even after the listener's
 * quick retries, and how many such waits it gets before the requester is told it failed (for now).
 * The defaults ride out an hour's outage.
 */
@ConfigurationProperties("nhsv2.email.later")
public record LaterSettings(Duration delay, int maxWaits) {

    public LaterSettings {
        delay = delay == null ? Duration.ofMinutes(1) : delay;
        maxWaits = maxWaits == 0 ? 60 : maxWaits;
        if (delay.isNegative() || delay.isZero() || maxWaits < 1) {
            throw new IllegalArgumentException("nhsv2.email.later: delay must be positive and max-waits at least 1");
        }
    }
}
