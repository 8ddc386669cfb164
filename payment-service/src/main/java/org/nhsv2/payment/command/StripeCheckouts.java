package org.nhsv2.payment.command;

import org.nhsv2.payment.api.LineItem;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What the transaction asks of Stripe: open a Checkout Session, tell a session's real state, refund, and whose
 * payment intent is which.
 * Every call that creates something carries an idempotency key, so a retry never creates it twice.
 * Implemented with stripe-java, or by the local sandbox when no Stripe key is configured.
 */
public interface StripeCheckouts {

    OpenedSession openSession(SessionRequest request) throws StripeFailure;

    SessionState sessionState(String sessionId) throws StripeFailure;

    SubmittedRefund refund(RefundRequest request) throws StripeFailure;

    /**
     * The transaction a payment intent was made for, from the metadata this service put on it; empty for one that
     * is not ours or that Stripe does not know.
     */
    Optional<UUID> transactionOfPaymentIntent(String paymentIntentId) throws StripeFailure;

    /** {@code customerEmail} may be {@code null} (erased): Stripe then asks for it. */
    record SessionRequest(UUID transactionId, String idempotencyKey, List<LineItem> items, String currency,
                          String customerEmail, Instant expiresAt) {

        /** The customer's email stays out of logs. */
        @Override
        public String toString() {
            return "SessionRequest[transactionId=" + transactionId + ", idempotencyKey=" + idempotencyKey
                    + ", currency=" + currency + ", expiresAt=" + expiresAt + ", email redacted]";
        }
    }

    record OpenedSession(String sessionId, String url, Instant expiresAt) {
    }

    /**
     * @param status        {@code open}, {@code complete} or {@code expired}
     * @param paymentStatus {@code paid}, {@code unpaid} or {@code no_payment_required}
     */
    record SessionState(String sessionId, String status, String paymentStatus, String paymentIntentId, long amountTotal,
                        String currency) {

        public boolean isPaid() {
            return "complete".equals(status) && "paid".equals(paymentStatus);
        }

        public boolean isExpired() {
            return "expired".equals(status);
        }
    }

    record RefundRequest(UUID transactionId, UUID refundId, String paymentIntentId, long amount, String idempotencyKey) {
    }

    /** @param status Stripe's: {@code pending}, {@code succeeded}, {@code failed}, ... */
    record SubmittedRefund(String stripeRefundId, String status) {
    }
}
