package org.nhsv2.payment.api;

/** What notification-service answered for an email of a transaction. */
public enum EmailStatus {
    DELIVERED,
    FAILED
}
