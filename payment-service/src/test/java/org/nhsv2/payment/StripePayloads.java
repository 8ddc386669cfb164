package org.nhsv2.payment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Stripe events as Stripe sends them (the fields this service reads, and a few it does not). */
public final class StripePayloads {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StripePayloads() {
    }

    public static String event(String eventId, String type, Map<String, Object> object) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", eventId);
        event.put("object", "event");
        event.put("api_version", "2025-09-30.clover");
        event.put("created", 1_700_000_000L);
        event.put("livemode", false);
        event.put("pending_webhooks", 1);
        event.put("type", type);
        event.put("data", Map.of("object", object));
        try {
            return JSON.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String newEventId() {
        return "evt_test_" + UUID.randomUUID().toString().replace("-", "");
    }

    public static Map<String, Object> session(UUID transactionId, String sessionId, String status, String paymentStatus,
                                              String paymentIntentId, long amountTotal) {
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("id", sessionId);
        session.put("object", "checkout.session");
        session.put("amount_total", amountTotal);
        session.put("currency", "gbp");
        session.put("client_reference_id", transactionId.toString());
        session.put("metadata", Map.of("transaction_id", transactionId.toString()));
        session.put("mode", "payment");
        session.put("payment_intent", paymentIntentId);
        session.put("payment_status", paymentStatus);
        session.put("status", status);
        return session;
    }

    /** A dispute (a chargeback) as Stripe's charge.dispute.* events carry it: no metadata of this service's. */
    public static Map<String, Object> dispute(String disputeId, String paymentIntentId, long amount, String status) {
        Map<String, Object> dispute = new LinkedHashMap<>();
        dispute.put("id", disputeId);
        dispute.put("object", "dispute");
        dispute.put("amount", amount);
        dispute.put("currency", "gbp");
        dispute.put("charge", "ch_" + disputeId);
        dispute.put("payment_intent", paymentIntentId);
        dispute.put("reason", "fraudulent");
        dispute.put("status", status);
        dispute.put("metadata", Map.of());
        return dispute;
    }

    public static Map<String, Object> failedPaymentIntent(UUID transactionId, String paymentIntentId) {
        Map<String, Object> intent = new LinkedHashMap<>();
        intent.put("id", paymentIntentId);
        intent.put("object", "payment_intent");
        intent.put("status", "requires_payment_method");
        intent.put("metadata", Map.of("transaction_id", transactionId.toString()));
        intent.put("last_payment_error", Map.of("code", "card_declined", "message", "Your card was declined."));
        return intent;
    }

    /** A refund; {@code refundId} is this service's (metadata), null for one made in Stripe's dashboard. */
    public static Map<String, Object> refund(UUID transactionId, UUID refundId, String stripeRefundId,
                                             String paymentIntentId, long amount, String status) {
        Map<String, Object> refund = new LinkedHashMap<>();
        refund.put("id", stripeRefundId);
        refund.put("object", "refund");
        refund.put("amount", amount);
        refund.put("currency", "gbp");
        refund.put("payment_intent", paymentIntentId);
        refund.put("status", status);
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (transactionId != null) {
            metadata.put("transaction_id", transactionId.toString());
        }
        if (refundId != null) {
            metadata.put("refund_id", refundId.toString());
        }
        refund.put("metadata", metadata);
        if ("failed".equals(status)) {
            refund.put("failure_reason", "expired_or_canceled_card");
        }
        return refund;
    }

    /** A charge as charge.refunded carries it: no metadata of ours, its refunds listed. */
    public static Map<String, Object> refundedCharge(String paymentIntentId, long amountRefunded,
                                                     List<Map<String, Object>> refunds) {
        return refundedCharge(null, paymentIntentId, amountRefunded, refunds);
    }

    /**
     * A charge with the metadata its payment intent had when the charge was made ({@code transactionId}),
     * as Stripe copies it; none when {@code transactionId} is null.
     */
    public static Map<String, Object> refundedCharge(UUID transactionId, String paymentIntentId, long amountRefunded,
                                                     List<Map<String, Object>> refunds) {
        Map<String, Object> charge = new LinkedHashMap<>();
        charge.put("id", "ch_test_" + UUID.randomUUID().toString().replace("-", ""));
        charge.put("object", "charge");
        charge.put("payment_intent", paymentIntentId);
        charge.put("amount_refunded", amountRefunded);
        charge.put("refunded", false);
        charge.put("metadata", transactionId == null ? Map.of() : Map.of("transaction_id", transactionId.toString()));
        charge.put("refunds", Map.of("object", "list", "data", refunds));
        return charge;
    }
}
