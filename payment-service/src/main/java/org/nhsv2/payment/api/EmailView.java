package org.nhsv2.payment.api;

import java.time.Instant;
import java.util.UUID;

/**
 * An email of the transaction that notification-service answered for: delivered (with the provider's
 * message id and when), or failed (with why, which reads {@code [erased]} once the patient's data is).
 */
public record EmailView(UUID requestId, TransactionEmail template, EmailStatus status, String providerMessageId,
                        Instant deliveredAt, String failure, boolean permanentFailure) {

    @Override
    public String toString() {
        return "EmailView[requestId=" + requestId + ", template=" + template + ", status=" + status + ", failure redacted]";
    }
}
