package org.nhsv2.payment.api;

/** A dispute of the transaction's payment: open (no refund until it is closed), won, or lost (the amount gone back). */
public enum DisputeStatus {
    OPEN,
    WON,
    LOST
}
