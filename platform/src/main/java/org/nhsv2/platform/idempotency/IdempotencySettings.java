package org.nhsv2.platform.idempotency;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * @param retention         how long an Idempotency-Key is remembered. How often forgotten keys are deleted
 *                          ({@code nhsv2.idempotency.purge-interval}) is read by {@code @Scheduled} itself.
 * @param fingerprintSecret the HMAC key of request fingerprints ({@code NHSV2_IDEMPOTENCY_SECRET}), at least
 *                          32 characters: a stored fingerprint then reveals nothing of the personal data it
 *                          covers. Only the local profile has a (fake) default.
 */
@ConfigurationProperties("nhsv2.idempotency")
public record IdempotencySettings(@DefaultValue("24h") Duration retention, String fingerprintSecret) {

    static final int MIN_SECRET_LENGTH = 32;

    public IdempotencySettings {
        if (fingerprintSecret == null || fingerprintSecret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("set NHSV2_IDEMPOTENCY_SECRET (nhsv2.idempotency.fingerprint-secret) to a "
                    + "random secret of at least " + MIN_SECRET_LENGTH + " characters, e.g. `openssl rand -base64 32`; "
                    + "only the local profile has a fake one");
        }
    }

    @Override
    public String toString() {
        return "IdempotencySettings[retention=" + retention + ", fingerprint secret redacted]";
    }
}
