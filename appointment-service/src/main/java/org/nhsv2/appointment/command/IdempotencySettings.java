package org.nhsv2.appointment.command;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * @param retention     how long an Idempotency-Key is remembered
 * @param purgeInterval how often forgotten keys are deleted
 */
@ConfigurationProperties("nhsv2.idempotency")
record IdempotencySettings(@DefaultValue("24h") Duration retention, @DefaultValue("1h") Duration purgeInterval) {
}
