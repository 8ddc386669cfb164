package org.nhsv2.appointment.saga;

import org.nhsv2.contracts.EmailTemplate;

import java.util.UUID;

/**
 * An email the saga requested and has not heard back about: how often it asked, and the deadline by
 * which it asks again.
 */
record PendingEmail(UUID requestId, EmailTemplate template, int requests, String deadlineId) {

    PendingEmail askedAgain(String nextDeadlineId) {
        return new PendingEmail(requestId, template, requests + 1, nextDeadlineId);
    }
}
