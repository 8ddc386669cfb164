package org.nhsv2.notification.email;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * How long an email request waits when the provider could not take it even after the listener's
 * quick retries, and how many such waits it gets before the requester is told it failed (for now).
 * The defaults ride out an hour's outage.
 *
 * <p>An email whose answer was lost after it went out ({@link EmailAnswerLostException}) waits as long,
 * and is sent again at most {@code resendsAfterLostAnswer} times (default 1): the provider may already
 * hold it, and an outage's sixty waits of five tries each would otherwise send a patient hundreds of
 * copies of one slowly accepted email.
 */
@ConfigurationProperties("nhsv2.email.later")
public record LaterSettings(Duration delay, int maxWaits, Integer resendsAfterLostAnswer) {

    public LaterSettings {
        delay = delay == null ? Duration.ofMinutes(1) : delay;
        maxWaits = maxWaits == 0 ? 60 : maxWaits;
        resendsAfterLostAnswer = resendsAfterLostAnswer == null ? 1 : resendsAfterLostAnswer;
        if (delay.isNegative() || delay.isZero() || maxWaits < 1 || resendsAfterLostAnswer < 0) {
            throw new IllegalArgumentException("nhsv2.email.later: delay must be positive, max-waits at least 1"
                    + " and resends-after-lost-answer not negative");
        }
    }
}
