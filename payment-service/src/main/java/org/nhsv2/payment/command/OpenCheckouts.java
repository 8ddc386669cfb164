package org.nhsv2.payment.command;

import java.util.UUID;

/**
 * How many of the checkouts a patient started themselves still wait to be paid (initiated or open), as the read side
 * has them.
 */
public interface OpenCheckouts {

    long of(UUID patientId);
}
