package org.nhsv2.payment.stripe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nhsv2.payment.api.StripeFact.CheckoutExpired;
import org.nhsv2.payment.api.StripeFact.CheckoutPaid;
import org.nhsv2.payment.api.StripeFact.CheckoutPaymentFailed;
import org.nhsv2.payment.api.StripeFact.PaymentAttemptFailed;
import org.nhsv2.payment.api.StripeFact.PaymentDisputed;
import org.nhsv2.payment.api.StripeFact.RefundSettled;
import org.nhsv2.payment.api.StripeFact;
import org.nhsv2.payment.stripe.StripeEvents.Delivery;
import org.nhsv2.payment.stripe.StripeEvents.Reading;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What a verified Stripe event's raw data object says, read the way the webhook reads it. */
class StripeEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENT = "evt_1QyZ2aAbCdEfGhIj3k4l5m6n";
    private static final UUID TRANSACTION = UUID.fromString("7d6f3c1e-2b4a-4c8e-9f10-3a5b6c7d8e9f");
    private static final UUID REFUND = UUID.fromString("0b9e4f2a-6c1d-4e3b-8a7f-5d2c1b0a9e8d");
    private static final String SESSION = "cs_test_a1Kx9QbL2mN3pR4sT5uV6wX7yZ8";
    private static final String PAYMENT_INTENT = "pi_3QxYzAbCdEfGhIjK1a2b3c4d";
    private static final String STRIPE_REFUND = "re_3QxYzAbCdEfGhIjK0r1s2t3u";
    private static final String OUR_METADATA = "{\"transaction_id\": \"" + TRANSACTION + "\"}";
    private static final String OUR_REFUND_METADATA =
            "{\"refund_id\": \"" + REFUND + "\", \"transaction_id\": \"" + TRANSACTION + "\"}";

    private final Map<String, UUID> transactionsByPaymentIntent = new HashMap<>();
    private final List<String> lookedUp = new ArrayList<>();
    private final StripeEvents events = new StripeEvents(paymentIntent -> {
        lookedUp.add(paymentIntent);
        return Optional.ofNullable(transactionsByPaymentIntent.get(paymentIntent));
    });

    @Nested
    class CheckoutSession {

        @Test
        void shouldDeliverCheckoutPaidWhenTheCompletedSessionIsPaid() {
            Reading reading = events.read(EVENT, "checkout.session.completed",
                    session("complete", "paid", PAYMENT_INTENT, OUR_METADATA, TRANSACTION.toString()));

            assertThat(reading).isEqualTo(delivered(new CheckoutPaid(SESSION, PAYMENT_INTENT, 3399, "gbp")));
        }

        @Test
        void shouldHandleButDeliverNothingWhenTheCompletedSessionIsStillUnpaid() {
            Reading reading = events.read(EVENT, "checkout.session.completed",
                    session("complete", "unpaid", PAYMENT_INTENT, OUR_METADATA, TRANSACTION.toString()));

            assertThat(reading).isEqualTo(new Reading(true, List.of(), false));
        }

        @Test
        void shouldDeliverCheckoutPaidWhenTheAsynchronousPaymentSucceeds() {
            Reading reading = events.read(EVENT, "checkout.session.async_payment_succeeded",
                    session("complete", "paid", PAYMENT_INTENT, OUR_METADATA, TRANSACTION.toString()));

            assertThat(reading).isEqualTo(delivered(new CheckoutPaid(SESSION, PAYMENT_INTENT, 3399, "gbp")));
        }

        @Test
        void shouldDeliverAFinalFailureWhenTheAsynchronousPaymentFails() {
            Reading reading = events.read(EVENT, "checkout.session.async_payment_failed",
                    session("complete", "unpaid", PAYMENT_INTENT, OUR_METADATA, TRANSACTION.toString()));

            assertThat(reading).isEqualTo(delivered(new CheckoutPaymentFailed(SESSION, "The asynchronous payment failed")));
        }

        @Test
        void shouldDeliverCheckoutExpiredWhenTheSessionExpires() {
            Reading reading = events.read(EVENT, "checkout.session.expired",
                    session("expired", "unpaid", null, OUR_METADATA, TRANSACTION.toString()));

            assertThat(reading).isEqualTo(delivered(new CheckoutExpired(SESSION)));
        }

        /**
         * A Payment Link's session takes its client_reference_id from the link's URL, which the payer writes: naming a
         * transaction there neither pays it nor ends it.
         */
        @Test
        void shouldTellTheTransactionIsUnknownWhenOnlyTheClientReferenceNamesIt() {
            Reading paid = events.read(EVENT, "checkout.session.completed",
                    session("complete", "paid", PAYMENT_INTENT, "{}", TRANSACTION.toString()));
            Reading expired = events.read(EVENT, "checkout.session.expired",
                    session("expired", "unpaid", null, "{}", TRANSACTION.toString()));

            assertThat(paid).isEqualTo(new Reading(true, List.of(), true));
            assertThat(expired).isEqualTo(new Reading(true, List.of(), true));
        }

        @Test
        void shouldPreferTheMetadataOverTheClientReference() {
            UUID other = UUID.fromString("9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d");

            Reading reading = events.read(EVENT, "checkout.session.expired",
                    session("expired", "unpaid", null, OUR_METADATA, other.toString()));

            assertThat(reading.deliveries()).extracting(Delivery::transactionId).containsExactly(TRANSACTION);
        }

        @Test
        void shouldTellTheTransactionIsUnknownWhenTheMetadataIsNotOursWhateverTheClientReferenceSays() {
            Reading reading = events.read(EVENT, "checkout.session.expired",
                    session("expired", "unpaid", null, "{\"transaction_id\": \"order_20250117_0042\"}",
                            TRANSACTION.toString()));

            assertThat(reading).isEqualTo(new Reading(true, List.of(), true));
        }

        @Test
        void shouldTellTheTransactionIsUnknownWhenTheSessionNamesNone() {
            Reading reading = events.read(EVENT, "checkout.session.completed",
                    session("complete", "paid", PAYMENT_INTENT, "{}", null));

            assertThat(reading).isEqualTo(new Reading(true, List.of(), true));
        }

        @Test
        void shouldTellTheTransactionIsUnknownWhenNeitherMetadataNorReferenceIsAUuid() {
            Reading reading = events.read(EVENT, "checkout.session.completed",
                    session("complete", "paid", PAYMENT_INTENT, "{\"transaction_id\": \"not-a-uuid\"}", "order-42"));

            assertThat(reading).isEqualTo(new Reading(true, List.of(), true));
        }
    }

    @Nested
    class PaymentIntentFailed {

        @Test
        void shouldDeliverTheDeclineMessageToTheTransactionInTheMetadata() {
            Reading reading = events.read(EVENT, "payment_intent.payment_failed", paymentIntent(OUR_METADATA, """
                    {
                      "charge": "ch_3QxYzAbCdEfGhIjK1a2b3c4d",
                      "code": "card_declined",
                      "decline_code": "insufficient_funds",
                      "doc_url": "https://stripe.com/docs/error-codes/card-declined",
                      "message": "Your card has insufficient funds.",
                      "type": "card_error"
                    }"""));

            assertThat(reading).isEqualTo(delivered(
                    new PaymentAttemptFailed(PAYMENT_INTENT, "Your card has insufficient funds.")));
            assertThat(lookedUp).isEmpty();
        }

        @Test
        void shouldFindTheTransactionByThePaymentIntentWhenItHasNoMetadata() {
            transactionsByPaymentIntent.put(PAYMENT_INTENT, TRANSACTION);

            Reading reading = events.read(EVENT, "payment_intent.payment_failed", paymentIntent("{}", """
                    {"code": "card_declined", "decline_code": "generic_decline", "message": "Your card was declined.",
                     "type": "card_error"}"""));

            assertThat(reading).isEqualTo(delivered(new PaymentAttemptFailed(PAYMENT_INTENT, "Your card was declined.")));
            assertThat(lookedUp).containsExactly(PAYMENT_INTENT);
        }

        @Test
        void shouldTellTheTransactionIsUnknownWhenNeitherMetadataNorLookupFindsIt() {
            Reading reading = events.read(EVENT, "payment_intent.payment_failed", paymentIntent("{}", """
                    {"code": "card_declined", "message": "Your card was declined.", "type": "card_error"}"""));

            assertThat(reading).isEqualTo(new Reading(true, List.of(), true));
            assertThat(lookedUp).containsExactly(PAYMENT_INTENT);
        }

        @Test
        void shouldSayTheAttemptFailedWhenStripeGivesNoMessage() {
            Reading reading = events.read(EVENT, "payment_intent.payment_failed", paymentIntent(OUR_METADATA, "null"));

            assertThat(reading).isEqualTo(delivered(new PaymentAttemptFailed(PAYMENT_INTENT, "The payment attempt failed")));
        }
    }

    @Nested
    class RefundObject {

        @Test
        void shouldDeliverASucceededRefundWithOurRefundId() {
            Reading reading = events.read(EVENT, "refund.updated", refund("succeeded", null, OUR_REFUND_METADATA));

            assertThat(reading).isEqualTo(delivered(new RefundSettled(STRIPE_REFUND, REFUND, 1250, true, null, PAYMENT_INTENT)));
            assertThat(lookedUp).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"pending", "requires_action"})
        void shouldHandleButDeliverNothingWhileTheRefundIsNotSettled(String status) {
            Reading reading = events.read(EVENT, "refund.updated", refund(status, null, OUR_REFUND_METADATA));

            assertThat(reading).isEqualTo(new Reading(true, List.of(), false));
        }

        @Test
        void shouldDeliverAFailedRefundWithStripesReason() {
            Reading reading = events.read(EVENT, "refund.updated",
                    refund("failed", "expired_or_canceled_card", OUR_REFUND_METADATA));

            assertThat(reading).isEqualTo(delivered(
                    new RefundSettled(STRIPE_REFUND, REFUND, 1250, false, "Stripe: expired_or_canceled_card", PAYMENT_INTENT)));
        }

        @Test
        void shouldDeliverACanceledRefundWithTheStatusAsReason() {
            Reading reading = events.read(EVENT, "refund.updated", refund("canceled", null, OUR_REFUND_METADATA));

            assertThat(reading).isEqualTo(delivered(new RefundSettled(STRIPE_REFUND, REFUND, 1250, false, "Stripe: canceled", PAYMENT_INTENT)));
        }

        @Test
        void shouldDeliverTheFailureOfARefundFailedEvent() {
            Reading reading = events.read(EVENT, "refund.failed", refund("failed", "lost_or_stolen_card", OUR_REFUND_METADATA));

            assertThat(reading).isEqualTo(delivered(
                    new RefundSettled(STRIPE_REFUND, REFUND, 1250, false, "Stripe: lost_or_stolen_card", PAYMENT_INTENT)));
        }

        @Test
        void shouldFindTheTransactionOfADashboardRefundByItsPaymentIntent() {
            transactionsByPaymentIntent.put(PAYMENT_INTENT, TRANSACTION);

            Reading reading = events.read(EVENT, "refund.updated", refund("succeeded", null, "{}"));

            assertThat(reading).isEqualTo(delivered(new RefundSettled(STRIPE_REFUND, null, 1250, true, null, PAYMENT_INTENT)));
            assertThat(lookedUp).containsExactly(PAYMENT_INTENT);
        }

        @Test
        void shouldReadARefundIdThatIsNotAUuidAsNone() {
            Reading reading = events.read(EVENT, "refund.updated", refund("succeeded", null,
                    "{\"refund_id\": \"RF-2025-0042\", \"transaction_id\": \"" + TRANSACTION + "\"}"));

            assertThat(reading).isEqualTo(delivered(new RefundSettled(STRIPE_REFUND, null, 1250, true, null, PAYMENT_INTENT)));
        }

        @Test
        void shouldTellTheTransactionIsUnknownWhenTheRefundNamesNone() {
            Reading reading = events.read(EVENT, "refund.updated", refund("succeeded", null, "{}"));

            assertThat(reading).isEqualTo(new Reading(true, List.of(), true));
        }
    }

    @Nested
    class ChargeRefunded {

        @Test
        void shouldDeliverEachListedRefundAsAFactOfItsOwn() {
            transactionsByPaymentIntent.put(PAYMENT_INTENT, TRANSACTION);
            UUID secondRefund = UUID.fromString("5c4d3e2f-1a0b-4c9d-8e7f-6a5b4c3d2e1f");

            Reading reading = events.read(EVENT, "charge.refunded", charge("{}", """
                    [
                      {"id": "re_3QxYzAbCdEfGhIjK0aaaaaaa", "object": "refund", "amount": 1250, "currency": "gbp",
                       "metadata": {"refund_id": "%s", "transaction_id": "%s"}, "payment_intent": "%s",
                       "reason": "requested_by_customer", "status": "succeeded"},
                      {"id": "re_3QxYzAbCdEfGhIjK0bbbbbbb", "object": "refund", "amount": 899, "currency": "gbp",
                       "failure_reason": "declined", "metadata": {"refund_id": "%s", "transaction_id": "%s"},
                       "payment_intent": "%s", "reason": "requested_by_customer", "status": "failed"}
                    ]""".formatted(REFUND, TRANSACTION, PAYMENT_INTENT, secondRefund, TRANSACTION, PAYMENT_INTENT)));

            assertThat(reading).isEqualTo(new Reading(true, List.of(
                    new Delivery(TRANSACTION, EVENT + ":re_3QxYzAbCdEfGhIjK0aaaaaaa",
                            new RefundSettled("re_3QxYzAbCdEfGhIjK0aaaaaaa", REFUND, 1250, true, null, PAYMENT_INTENT)),
                    new Delivery(TRANSACTION, EVENT + ":re_3QxYzAbCdEfGhIjK0bbbbbbb",
                            new RefundSettled("re_3QxYzAbCdEfGhIjK0bbbbbbb", secondRefund, 899, false, "Stripe: declined", PAYMENT_INTENT))),
                    false));
            assertThat(lookedUp).containsExactly(PAYMENT_INTENT);
        }

        @Test
        void shouldSkipTheListedRefundsThatAreStillPending() {
            Reading reading = events.read(EVENT, "charge.refunded", charge(OUR_METADATA, """
                    [
                      {"id": "re_3QxYzAbCdEfGhIjK0ccccccc", "object": "refund", "amount": 500, "metadata": {},
                       "payment_intent": "%s", "status": "pending"},
                      {"id": "re_3QxYzAbCdEfGhIjK0ddddddd", "object": "refund", "amount": 700, "metadata": {},
                       "payment_intent": "%s", "status": "succeeded"}
                    ]""".formatted(PAYMENT_INTENT, PAYMENT_INTENT)));

            assertThat(reading).isEqualTo(new Reading(true, List.of(new Delivery(TRANSACTION,
                    EVENT + ":re_3QxYzAbCdEfGhIjK0ddddddd",
                    new RefundSettled("re_3QxYzAbCdEfGhIjK0ddddddd", null, 700, true, null, PAYMENT_INTENT))), false));
            assertThat(lookedUp).isEmpty();
        }

        @Test
        void shouldHandleAChargeThatNoLongerEmbedsItsRefunds() {
            transactionsByPaymentIntent.put(PAYMENT_INTENT, TRANSACTION);

            Reading reading = events.read(EVENT, "charge.refunded", charge("{}", null));

            assertThat(reading).isEqualTo(new Reading(true, List.of(), false));
        }

        @Test
        void shouldTellTheTransactionIsUnknownWhenTheChargeNamesNone() {
            Reading reading = events.read(EVENT, "charge.refunded", charge("{}", """
                    [{"id": "re_3QxYzAbCdEfGhIjK0eeeeeee", "object": "refund", "amount": 1250, "metadata": {},
                      "payment_intent": "%s", "status": "succeeded"}]""".formatted(PAYMENT_INTENT)));

            assertThat(reading).isEqualTo(new Reading(true, List.of(), true));
        }
    }

    /** A dispute (a chargeback) names the payment it disputes, and no metadata of this service's. */
    @Nested
    class Dispute {

        private static final String DISPUTE = "dp_1QyZ2aAbCdEfGhIj3k4l5m6n";

        @ParameterizedTest
        @CsvSource({"charge.dispute.created, needs_response", "charge.dispute.updated, under_review",
                "charge.dispute.closed, lost", "charge.dispute.closed, won"})
        void shouldDeliverTheDisputeAsItStandsToTheTransactionOfItsPayment(String type, String status) {
            transactionsByPaymentIntent.put(PAYMENT_INTENT, TRANSACTION);

            Reading reading = events.read(EVENT, type, dispute(status, PAYMENT_INTENT));

            assertThat(reading).isEqualTo(delivered(new PaymentDisputed(DISPUTE, PAYMENT_INTENT, 4500, "fraudulent",
                    status)));
            assertThat(lookedUp).containsExactly(PAYMENT_INTENT);
        }

        @Test
        void shouldTellTheTransactionIsUnknownWhenNoTransactionHasThePayment() {
            assertThat(events.read(EVENT, "charge.dispute.created", dispute("needs_response", PAYMENT_INTENT)))
                    .isEqualTo(new Reading(true, List.of(), true));
            assertThat(events.read(EVENT, "charge.dispute.created", dispute("needs_response", null)))
                    .isEqualTo(new Reading(true, List.of(), true));
        }

        /** The movements of its funds carry the dispute as it stands: a late or missed update is made up for. */
        @ParameterizedTest
        @ValueSource(strings = {"charge.dispute.funds_withdrawn", "charge.dispute.funds_reinstated"})
        void shouldDeliverTheDisputeAsTheMovementsOfItsFundsTellIt(String type) {
            transactionsByPaymentIntent.put(PAYMENT_INTENT, TRANSACTION);

            assertThat(events.read(EVENT, type, dispute("needs_response", PAYMENT_INTENT))).isEqualTo(delivered(
                    new PaymentDisputed(DISPUTE, PAYMENT_INTENT, 4500, "fraudulent", "needs_response")));
        }

        @Test
        void shouldTellAClosedFromAnOpenDisputeALostFromAWonOneAndAChargebackFromAnInquiry() {
            assertThat(new PaymentDisputed(DISPUTE, PAYMENT_INTENT, 1, null, "needs_response").closed()).isFalse();
            assertThat(new PaymentDisputed(DISPUTE, PAYMENT_INTENT, 1, null, "warning_under_review").closed()).isFalse();
            assertThat(new PaymentDisputed(DISPUTE, PAYMENT_INTENT, 1, null, "lost").lost()).isTrue();
            for (String noLoss : List.of("won", "warning_closed", "prevented")) {
                PaymentDisputed closed = new PaymentDisputed(DISPUTE, PAYMENT_INTENT, 1, null, noLoss);
                assertThat(closed.closed()).as(noLoss).isTrue();
                assertThat(closed.lost()).as(noLoss).isFalse();
            }
            for (String chargeback : List.of("needs_response", "under_review", "won", "lost")) {
                assertThat(new PaymentDisputed(DISPUTE, PAYMENT_INTENT, 1, null, chargeback).chargeback()).as(chargeback)
                        .isTrue();
            }
            for (String inquiry : List.of("warning_needs_response", "warning_under_review", "warning_closed", "prevented")) {
                assertThat(new PaymentDisputed(DISPUTE, PAYMENT_INTENT, 1, null, inquiry).chargeback()).as(inquiry)
                        .isFalse();
            }
        }

        private static JsonNode dispute(String status, String paymentIntent) {
            return json("""
                    {"id": "%s", "object": "dispute", "amount": 4500, "currency": "gbp",
                     "charge": "ch_3QxYzAbCdEfGhIjK1a2b3c4d", "payment_intent": %s, "reason": "fraudulent",
                     "status": "%s", "metadata": {}, "livemode": false}""".formatted(DISPUTE, quoted(paymentIntent),
                    status));
        }
    }

    @Nested
    class OtherTypes {

        @ParameterizedTest
        @ValueSource(strings = {"customer.created", "payment_intent.succeeded", "charge.succeeded", "invoice.paid"})
        void shouldIgnoreATypeThisServiceDoesNotActOn(String type) {
            Reading reading = events.read(EVENT, type, json("""
                    {"id": "cus_RfXk2mN3pQ4r5s", "object": "customer", "email": "ada@example.org",
                     "metadata": {"transaction_id": "%s"}}""".formatted(TRANSACTION)));

            assertThat(reading).isEqualTo(new Reading(false, List.of(), false));
            assertThat(lookedUp).isEmpty();
        }
    }

    private static Reading delivered(StripeFact fact) {
        return new Reading(true, List.of(new Delivery(TRANSACTION, EVENT, fact)), false);
    }

    private static JsonNode session(String status, String paymentStatus, String paymentIntent, String metadata,
                                    String clientReference) {
        return json("""
                {
                  "id": "%s",
                  "object": "checkout.session",
                  "amount_subtotal": 3399,
                  "amount_total": 3399,
                  "cancel_url": "http://localhost:8082/checkout/cancelled.html",
                  "client_reference_id": %s,
                  "created": 1736935200,
                  "currency": "gbp",
                  "customer_details": {"email": "ada.lovelace@example.org", "name": "Ada Lovelace"},
                  "expires_at": 1736937000,
                  "livemode": false,
                  "metadata": %s,
                  "mode": "payment",
                  "payment_intent": %s,
                  "payment_status": "%s",
                  "status": "%s",
                  "success_url": "http://localhost:8082/checkout/complete.html",
                  "url": null
                }""".formatted(SESSION, quoted(clientReference), metadata, quoted(paymentIntent), paymentStatus, status));
    }

    private static JsonNode paymentIntent(String metadata, String lastPaymentError) {
        return json("""
                {
                  "id": "%s",
                  "object": "payment_intent",
                  "amount": 3399,
                  "amount_received": 0,
                  "client_secret": "%s_secret_Xy12Zz",
                  "created": 1736935260,
                  "currency": "gbp",
                  "last_payment_error": %s,
                  "livemode": false,
                  "metadata": %s,
                  "status": "requires_payment_method"
                }""".formatted(PAYMENT_INTENT, PAYMENT_INTENT, lastPaymentError, metadata));
    }

    private static JsonNode refund(String status, String failureReason, String metadata) {
        return json("""
                {
                  "id": "%s",
                  "object": "refund",
                  "amount": 1250,
                  "balance_transaction": "txn_3QxYzAbCdEfGhIjK0x1y2z3a",
                  "charge": "ch_3QxYzAbCdEfGhIjK1a2b3c4d",
                  "created": 1736938800,
                  "currency": "gbp",
                  "failure_reason": %s,
                  "metadata": %s,
                  "payment_intent": "%s",
                  "reason": "requested_by_customer",
                  "receipt_number": null,
                  "status": "%s"
                }""".formatted(STRIPE_REFUND, quoted(failureReason), metadata, PAYMENT_INTENT, status));
    }

    /** {@code refunds} is {@code null} for an API version that no longer embeds a charge's refunds. */
    private static JsonNode charge(String metadata, String refunds) {
        String embedded = refunds == null ? "" : """
                  "refunds": {"object": "list", "data": %s, "has_more": false, "total_count": 2,
                              "url": "/v1/charges/ch_3QxYzAbCdEfGhIjK1a2b3c4d/refunds"},
                """.formatted(refunds);
        return json("""
                {
                  "id": "ch_3QxYzAbCdEfGhIjK1a2b3c4d",
                  "object": "charge",
                  "amount": 3399,
                  "amount_refunded": 2149,
                  "captured": true,
                  "created": 1736935300,
                  "currency": "gbp",
                  "livemode": false,
                  "metadata": %s,
                  "paid": true,
                  "payment_intent": "%s",
                %s  "refunded": false,
                  "status": "succeeded"
                }""".formatted(metadata, PAYMENT_INTENT, embedded));
    }

    private static String quoted(String value) {
        return value == null ? "null" : "\"" + value + "\"";
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not JSON: " + text, e);
        }
    }
}
