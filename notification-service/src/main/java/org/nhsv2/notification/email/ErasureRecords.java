package org.nhsv2.notification.email;

import java.time.Instant;
import java.util.UUID;

/**
 * The patients' erasures this service has recorded, as handling a request asks before it writes an email.
 * Each question first takes the patient's lock shared, for the rest of the caller's transaction (which it
 * must run in), as storing an email does: an erasure being recorded meanwhile has committed and is seen, or
 * waits until the caller's transaction ends and then deletes what it stored.
 */
public interface ErasureRecords {

    /** Whether an erasure of the patient is recorded that happened at or after {@code since}. */
    boolean erasedSince(UUID patientId, Instant since);
}
