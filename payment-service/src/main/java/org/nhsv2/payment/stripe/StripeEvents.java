package org.nhsv2.payment.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import org.nhsv2.payment.api.StripeFact;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Reads what a verified Stripe event says about a transaction. Only the fields this service relies on
 * are read from the event's raw object, so an account pinned to another API version reads the same.
 * The transaction comes from the metadata the service put on the session, payment intent and refund;
 * for objects that carry none (a charge), from the payment intent the transaction was paid with.
 */
final class StripeEvents {

    /** What to apply to which transaction; {@code factId} is the Stripe event id, unique per fact. */
    record Delivery(UUID transactionId, String factId, StripeFact fact) {
    }

    /** Empty: the event says nothing this service acts on. */
    record Reading(boolean handledType, List<Delivery> deliveries, boolean transactionUnknown) {

        static Reading ignored() {
            return new Reading(false, List.of(), false);
        }
    }

    private final Function<String, Optional<UUID>> transactionOfPaymentIntent;

    StripeEvents(Function<String, Optional<UUID>> transactionOfPaymentIntent) {
        this.transactionOfPaymentIntent = transactionOfPaymentIntent;
    }

    Reading read(String eventId, String type, JsonNode object) {
        return switch (type) {
            case "checkout.session.completed" -> "paid".equals(text(object, "payment_status"))
                    ? session(eventId, object, paid(object))
                    // Paid later (a bank debit): the async_payment_ events tell how it ends.
                    : new Reading(true, List.of(), false);
            case "checkout.session.async_payment_succeeded" -> session(eventId, object, paid(object));
            case "checkout.session.async_payment_failed" -> session(eventId, object,
                    new StripeFact.CheckoutPaymentFailed(text(object, "id"), "The asynchronous payment failed"));
            case "checkout.session.expired" -> session(eventId, object, new StripeFact.CheckoutExpired(text(object, "id")));
            case "payment_intent.payment_failed" -> deliver(
                    metadataTransaction(object).or(() -> byPaymentIntent(text(object, "id"))), eventId,
                    new StripeFact.PaymentAttemptFailed(text(object, "id"), paymentError(object)));
            case "refund.created", "refund.updated", "refund.failed" -> refund(eventId, object);
            case "charge.refunded" -> charge(eventId, object);
            // A dispute carries no metadata of this service's: matched by the payment it disputes. Its funds' movements
            // carry it as it stands too, which covers an update that came late or not at all.
            case "charge.dispute.created", "charge.dispute.updated", "charge.dispute.closed",
                 "charge.dispute.funds_withdrawn", "charge.dispute.funds_reinstated" -> deliver(
                    byPaymentIntent(text(object, "payment_intent")), eventId, new StripeFact.PaymentDisputed(
                            text(object, "id"), text(object, "payment_intent"), object.path("amount").asLong(),
                            text(object, "reason"), text(object, "status")));
            default -> Reading.ignored();
        };
    }

    private static StripeFact paid(JsonNode session) {
        return new StripeFact.CheckoutPaid(text(session, "id"), text(session, "payment_intent"),
                session.path("amount_total").asLong(), text(session, "currency"));
    }

    /**
     * A session is this service's by its metadata alone, which only the account's API key sets. Not by
     * {@code client_reference_id}: a Payment Link of the same account takes one from its URL, which whoever opens the
     * link writes, so anyone knowing a transaction's id could have ended it with their session's expiry, or paid it.
     */
    private Reading session(String eventId, JsonNode session, StripeFact fact) {
        return deliver(metadataTransaction(session), eventId, fact);
    }

    /** A refund that reached a final state; pending ones are told again when they settle. */
    private Reading refund(String eventId, JsonNode refund) {
        return settled(refund)
                .map(fact -> deliver(metadataTransaction(refund).or(() -> byPaymentIntent(text(refund, "payment_intent"))),
                        eventId, fact))
                .orElseGet(() -> new Reading(true, List.of(), false));
    }

    /**
     * A charge lists its refunds (where the API version still embeds them): each final one is a fact of
     * its own, its id derived from the event's and the refund's, so each applies once.
     */
    private Reading charge(String eventId, JsonNode charge) {
        Optional<UUID> transaction = metadataTransaction(charge).or(() -> byPaymentIntent(text(charge, "payment_intent")));
        if (transaction.isEmpty()) {
            return new Reading(true, List.of(), true);
        }
        List<Delivery> deliveries = new ArrayList<>();
        for (JsonNode refund : charge.path("refunds").path("data")) {
            settled(refund).ifPresent(fact -> deliveries.add(new Delivery(transaction.get(),
                    eventId + ":" + text(refund, "id"), fact)));
        }
        return new Reading(true, deliveries, false);
    }

    private static Optional<StripeFact> settled(JsonNode refund) {
        String status = text(refund, "status");
        boolean succeeded = "succeeded".equals(status);
        if (!succeeded && !"failed".equals(status) && !"canceled".equals(status)) {
            return Optional.empty();
        }
        return Optional.of(new StripeFact.RefundSettled(text(refund, "id"),
                uuid(text(refund.path("metadata"), StripeApi.REFUND_ID)).orElse(null), refund.path("amount").asLong(),
                succeeded, succeeded ? null : "Stripe: " + (refund.hasNonNull("failure_reason")
                ? text(refund, "failure_reason") : status), text(refund, "payment_intent")));
    }

    private static Reading deliver(Optional<UUID> transaction, String eventId, StripeFact fact) {
        return transaction.map(id -> new Reading(true, List.of(new Delivery(id, eventId, fact)), false))
                .orElseGet(() -> new Reading(true, List.of(), true));
    }

    private Optional<UUID> byPaymentIntent(String paymentIntentId) {
        return paymentIntentId == null ? Optional.empty() : transactionOfPaymentIntent.apply(paymentIntentId);
    }

    private static Optional<UUID> metadataTransaction(JsonNode object) {
        return uuid(text(object.path("metadata"), StripeApi.TRANSACTION_ID));
    }

    private static String paymentError(JsonNode paymentIntent) {
        JsonNode error = paymentIntent.path("last_payment_error");
        String message = text(error, "message");
        return message != null ? message : "The payment attempt failed";
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : null;
    }

    private static Optional<UUID> uuid(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(value));
        } catch (IllegalArgumentException notOurs) {
            return Optional.empty();
        }
    }
}
