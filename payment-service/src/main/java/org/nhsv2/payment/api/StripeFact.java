package org.nhsv2.payment.api;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.UUID;

/**
 * What Stripe says happened to a transaction, from a verified webhook or from asking Stripe.
 * Typed for the wire, as commands may cross a distributed bus.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "fact")
@JsonSubTypes({
        @JsonSubTypes.Type(value = StripeFact.CheckoutPaid.class, name = "checkout-paid"),
        @JsonSubTypes.Type(value = StripeFact.CheckoutPaymentFailed.class, name = "checkout-payment-failed"),
        @JsonSubTypes.Type(value = StripeFact.CheckoutExpired.class, name = "checkout-expired"),
        @JsonSubTypes.Type(value = StripeFact.PaymentAttemptFailed.class, name = "payment-attempt-failed"),
        @JsonSubTypes.Type(value = StripeFact.RefundSettled.class, name = "refund-settled"),
        @JsonSubTypes.Type(value = StripeFact.PaymentDisputed.class, name = "payment-disputed")})
public sealed interface StripeFact {

    /**
     * The session completed with {@code payment_status=paid}, at once or asynchronously: {@code amount} taken in
     * {@code currency} (ISO code, any case; null when not told).
     */
    record CheckoutPaid(String sessionId, String paymentIntentId, long amount, String currency) implements StripeFact {
    }

    /** An asynchronous payment of a completed session failed: final. */
    record CheckoutPaymentFailed(String sessionId, String reason) implements StripeFact {
    }

    record CheckoutExpired(String sessionId) implements StripeFact {
    }

    /** A payment attempt failed (a declined card); the session stays open. */
    record PaymentAttemptFailed(String paymentIntentId, String reason) implements StripeFact {
    }

    /**
     * A refund reached a final state at Stripe. {@code refundId} is this service's id from the
     * refund's metadata; {@code null} for a refund made elsewhere (the dashboard). {@code paymentIntentId}
     * is the payment it gives back, {@code null} when not told (a command sent before facts carried it).
     */
    record RefundSettled(String stripeRefundId, UUID refundId, long amount, boolean succeeded, String failureReason,
                         String paymentIntentId) implements StripeFact {
    }

    /**
     * A dispute of a payment, as it stands: {@code status} is Stripe's ({@code warning_needs_response},
     * {@code needs_response}, {@code under_review}, ... while open; {@code won}, {@code lost}, {@code warning_closed} or
     * {@code prevented} once closed).
     */
    record PaymentDisputed(String disputeId, String paymentIntentId, long amount, String reason, String status)
            implements StripeFact {

        public boolean closed() {
            return "won".equals(status) || "lost".equals(status) || "warning_closed".equals(status)
                    || "prevented".equals(status);
        }

        /** Only a lost dispute gives the money back to the payer; a closed inquiry or a prevented one takes nothing. */
        public boolean lost() {
            return "lost".equals(status);
        }

        /**
         * A chargeback: money withdrawn, or held, and no refund taken until it is closed. Not an inquiry
         * ({@code warning_*}), which withdraws nothing and may still be settled by a refund, nor a dispute
         * {@code prevented} before it became one.
         */
        public boolean chargeback() {
            return status != null && !status.startsWith("warning_") && !"prevented".equals(status);
        }
    }
}
