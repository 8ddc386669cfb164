package org.nhsv2.payment.checkouts;

import java.time.Instant;
import java.util.Collection;
import java.util.UUID;

/**
 * How many of the checkouts a patient started themselves still wait to be paid: open, or initiated (not opened at
 * Stripe) since {@code initiatedSince}, as the read side has them, and those of {@code startedMeanwhile} (started and
 * committed, but perhaps not yet projected) that the read side does not have yet. The command side asks, the query
 * side answers; a port of its own, as neither side may depend on the other.
 */
public interface OpenCheckouts {

    long of(UUID patientId, Instant initiatedSince, Collection<UUID> startedMeanwhile);
}
