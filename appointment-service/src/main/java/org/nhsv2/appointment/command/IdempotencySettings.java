package org.nhsv2.appointment.command;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * @param retention how long an Idempotency-Key is remembered. How often forgotten keys are deleted
 *                  ({@code nhsv2.idempotency.purge-interval}) is read by {@code @Scheduled} itself.
 */
@ConfigurationProperties("nhsv2.idempotency")
record IdempotencySettings(@DefaultValue("24h") Duration retention) {
}
