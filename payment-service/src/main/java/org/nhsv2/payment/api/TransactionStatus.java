package org.nhsv2.payment.api;

/**
 * Lifecycle of a transaction. INITIATED: stored, no checkout yet (or opening it failed); OPEN: the
 * patient can pay; PAID, then PARTIALLY_REFUNDED or REFUNDED; FAILED and EXPIRED end it unpaid.
 */
public enum TransactionStatus {
    INITIATED,
    OPEN,
    PAID,
    FAILED,
    EXPIRED,
    PARTIALLY_REFUNDED,
    REFUNDED;

    public boolean isPaid() {
        return this == PAID || this == PARTIALLY_REFUNDED || this == REFUNDED;
    }
}
