package org.nhsv2.payment.sandbox;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Stripe API objects as the sandbox's events carry them: the fields Stripe sends that matter here. */
final class SandboxObjects {

    private static final String TRANSACTION_ID = "transaction_id";

    private SandboxObjects() {
    }

    static Map<String, Object> session(SandboxSessions.Session session) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("id", session.sessionId());
        object.put("object", "checkout.session");
        object.put("mode", "payment");
        object.put("amount_total", session.amountTotal());
        object.put("currency", session.currency().toLowerCase(Locale.ROOT));
        object.put("client_reference_id", session.transactionId().toString());
        object.put("metadata", Map.of(TRANSACTION_ID, session.transactionId().toString()));
        object.put("payment_intent", session.paymentIntentId());
        object.put("payment_status", session.paymentStatus());
        object.put("status", session.status());
        object.put("expires_at", session.expiresAt().getEpochSecond());
        object.put("livemode", false);
        return object;
    }

    static Map<String, Object> declinedPaymentIntent(SandboxSessions.Session session) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("id", session.paymentIntentId());
        object.put("object", "payment_intent");
        object.put("amount", session.amountTotal());
        object.put("currency", session.currency().toLowerCase(Locale.ROOT));
        object.put("status", "requires_payment_method");
        object.put("metadata", Map.of(TRANSACTION_ID, session.transactionId().toString()));
        object.put("last_payment_error", Map.of("type", "card_error", "code", "card_declined",
                "decline_code", "generic_decline", "message", "Your card was declined."));
        object.put("livemode", false);
        return object;
    }

    static Map<String, Object> refund(SandboxSessions.Refund refund, String status) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("id", refund.refundId());
        object.put("object", "refund");
        object.put("amount", refund.amount());
        object.put("payment_intent", refund.paymentIntentId());
        object.put("status", status);
        object.put("metadata", Map.of(TRANSACTION_ID, refund.transactionId().toString(),
                "refund_id", refund.ownRefundId().toString()));
        return object;
    }
}
