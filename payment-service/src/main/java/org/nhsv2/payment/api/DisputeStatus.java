package org.nhsv2.payment.api;

/**
 * A dispute of the transaction's payment: an inquiry (no money withdrawn, a refund may still settle it), open (a
 * chargeback: no refund until it is closed), won, lost (the amount gone back to the payer), or closed (an inquiry
 * that never became a chargeback).
 */
public enum DisputeStatus {
    INQUIRY,
    OPEN,
    WON,
    LOST,
    CLOSED;

    /** Where a closed dispute ends. */
    public static DisputeStatus closed(DisputeClosedEvent event) {
        return !event.chargeback() ? CLOSED : event.won() ? WON : LOST;
    }
}
