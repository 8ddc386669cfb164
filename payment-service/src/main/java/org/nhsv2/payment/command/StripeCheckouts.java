package org.nhsv2.payment.command;

import org.nhsv2.payment.api.LineItem;
import org.nhsv2.payment.api.StripeFact;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What the transaction asks of Stripe: open a Checkout Session, tell a session's real state, refund, tell a refund's
 * real state, and whose payment intent is which.
 * Every call that creates something carries an idempotency key, so a retry never creates it twice.
 * Implemented with stripe-java, or by the local sandbox when no Stripe key is configured.
 */
public interface StripeCheckouts {

    OpenedSession openSession(SessionRequest request) throws StripeFailure;

    SessionState sessionState(String sessionId) throws StripeFailure;

    SubmittedRefund refund(RefundRequest request) throws StripeFailure;

    /** The refund as Stripe holds it now: asked when no webhook told how a pending refund ended. */
    RefundState refundState(String stripeRefundId) throws StripeFailure;

    /**
     * The refund made for {@code refundId} among the payment intent's refunds, by the {@code refund_id} metadata
     * this service puts on each; empty when Stripe holds none. Asked after Stripe kept an error under a refund's key,
     * before a new key could make the refund a second time.
     */
    Optional<RefundState> findRefund(String paymentIntentId, UUID refundId) throws StripeFailure;

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

    /**
     * @param status        Stripe's: {@code pending}, {@code requires_action}, {@code succeeded}, {@code failed} or
     *                      {@code canceled}
     * @param failureReason Stripe's {@code failure_reason}, when it gives one
     */
    record RefundState(String stripeRefundId, String status, long amount, String failureReason, String paymentIntentId) {

        public boolean isSettled() {
            return "succeeded".equals(status) || "failed".equals(status) || "canceled".equals(status);
        }

        /**
         * What a webhook would have said of this refund once it settled (as the webhook reads a refund), so that the
         * transaction applies it through the same path, whoever told it.
         */
        public StripeFact.RefundSettled settled(UUID refundId) {
            boolean succeeded = "succeeded".equals(status);
            return new StripeFact.RefundSettled(stripeRefundId, refundId, amount, succeeded,
                    succeeded ? null : "Stripe: " + (failureReason != null ? failureReason : status), paymentIntentId);
        }
    }
}
