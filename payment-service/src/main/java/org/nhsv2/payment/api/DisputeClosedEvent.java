package org.nhsv2.payment.api;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/**
 * A dispute of the transaction's payment is closed. A chargeback is won (the money stays with the clinic) or lost
 * ({@code amount} went back to the payer through their bank, and can no longer be refunded); an inquiry that never
 * became one ({@code chargeback} false: closed as {@code warning_closed}, often once a refund settled it, or
 * {@code prevented}) takes nothing.
 */
@Revision("1")
public record DisputeClosedEvent(UUID transactionId, String stripeEventId, String disputeId, boolean won, long amount,
                                 boolean chargeback) {
}
