package org.nhsv2.payment.api;

/**
 * The emails a transaction's events ask for, named as notification-service's templates are. Each is
 * requested under an id derived from the transaction, the sequence number of the event that caused
 * it and this name, so the same email asked for again (a replayed handler) keeps its id.
 */
public enum TransactionEmail {
    /** The checkout link, when a checkout opens. */
    PAYMENT_LINK,
    /** The receipt, when the payment is taken. */
    PAYMENT_RECEIPT,
    /** A note that money went back, for each refund that succeeded (here or at Stripe directly). */
    REFUND_NOTE
}
