package org.nhsv2.payment.api;

import org.nhsv2.platform.api.FieldChange;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Every stored event of one transaction, oldest first, with who or what caused it. */
public record TransactionHistory(UUID transactionId, List<Entry> entries) {

    public TransactionHistory {
        entries = List.copyOf(entries);
    }

    /**
     * {@code actorId} and {@code actorRole} for what a user did, {@code stripeEventId} for what a Stripe
     * webhook reported; neither when reconciliation asked Stripe or notification-service answered for an
     * email ({@code cause} says which: user, stripe-webhook, reconciliation or email-outcome).
     */
    public record Entry(long sequence, String type, Instant occurredAt, String cause, UUID actorId, String actorRole,
                        String stripeEventId, String correlationId, List<FieldChange> changes) {
        public Entry {
            changes = List.copyOf(changes);
        }
    }
}
