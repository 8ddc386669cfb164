package org.nhsv2.payment.command;

import java.time.Instant;
import java.util.UUID;

/**
 * How many of the checkouts a patient started themselves still wait to be paid, as the read side has them: open, or
 * initiated (not opened at Stripe) since {@code initiatedSince}.
 */
public interface OpenCheckouts {

    long of(UUID patientId, Instant initiatedSince);
}
