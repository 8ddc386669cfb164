package org.nhsv2.notification.email;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * How far apart the clocks of the services' instances may be. A request is written before an erasure of its
 * patient if it was published before the erasure happened, by the two machines' clocks; so one published
 * less than {@code clockSkew} after the erasure counts as written before it too, and is not sent. The price:
 * a patient booked again within that long after their erasure gets no email for it.
 */
@ConfigurationProperties("nhsv2.email.erasure")
public record ErasureSettings(Duration clockSkew) {

    public ErasureSettings {
        clockSkew = clockSkew == null ? Duration.ofSeconds(2) : clockSkew;
        if (clockSkew.isNegative()) {
            throw new IllegalArgumentException("nhsv2.email.erasure.clock-skew must not be negative");
        }
    }
}
