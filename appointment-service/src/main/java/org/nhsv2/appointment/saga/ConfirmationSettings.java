package org.nhsv2.appointment.saga;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * How the confirmation saga waits and reminds.
 *
 * @param acknowledgementTimeout how long an email may go unanswered before it is requested again
 * @param maxRequests            how many times one email is requested before it is recorded as failed
 * @param reminderBefore         how long before the appointment the reminder goes out
 * @param organizer              the address invitations name as organiser (replies go there)
 */
@ConfigurationProperties("nhsv2.confirmation")
public record ConfirmationSettings(Duration acknowledgementTimeout, int maxRequests, Duration reminderBefore,
                                   String organizer) {

    public ConfirmationSettings {
        if (acknowledgementTimeout == null || acknowledgementTimeout.isNegative() || acknowledgementTimeout.isZero()) {
            throw new IllegalArgumentException("nhsv2.confirmation.acknowledgement-timeout must be positive");
        }
        if (maxRequests < 1) {
            throw new IllegalArgumentException("nhsv2.confirmation.max-requests must be at least 1");
        }
        if (reminderBefore == null || reminderBefore.isNegative()) {
            throw new IllegalArgumentException("nhsv2.confirmation.reminder-before must not be negative");
        }
        if (organizer == null || organizer.isBlank()) {
            throw new IllegalArgumentException("nhsv2.confirmation.organizer must be an email address");
        }
    }
}
