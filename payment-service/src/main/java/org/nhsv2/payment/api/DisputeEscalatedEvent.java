package org.nhsv2.payment.api;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/** An inquiry into the transaction's payment became a chargeback: no refund of the payment until it is closed. */
@Revision("1")
public record DisputeEscalatedEvent(UUID transactionId, String stripeEventId, String disputeId) {
}
