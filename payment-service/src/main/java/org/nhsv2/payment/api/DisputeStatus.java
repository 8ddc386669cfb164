package org.nhsv2.payment.api;

/**
 * A dispute of the transaction's payment: an inquiry (no money withdrawn, a refund may still settle it), open (a
 * chargeback: no refund until it is closed), won, or lost (the amount gone back to the payer).
 */
public enum DisputeStatus {
    INQUIRY,
    OPEN,
    WON,
    LOST
}
