package org.nhsv2.payment.api;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/**
 * The dispute of the transaction's payment is closed: won (the money stays with the clinic, or an inquiry never
 * became a chargeback), or lost ({@code amount} went back to the payer through their bank, and can no longer be
 * refunded).
 */
@Revision("1")
public record DisputeClosedEvent(UUID transactionId, String stripeEventId, String disputeId, boolean won, long amount) {
}
