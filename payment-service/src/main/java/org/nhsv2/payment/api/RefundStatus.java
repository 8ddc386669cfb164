package org.nhsv2.payment.api;

/** REQUESTED: stored, not yet at Stripe; SUBMITTED: Stripe has it; SUCCEEDED and FAILED are final. */
public enum RefundStatus {
    REQUESTED,
    SUBMITTED,
    SUCCEEDED,
    FAILED;

    public boolean isSettled() {
        return this == SUCCEEDED || this == FAILED;
    }
}
