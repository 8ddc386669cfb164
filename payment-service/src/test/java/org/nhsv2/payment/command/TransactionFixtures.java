package org.nhsv2.payment.command;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.nhsv2.payment.api.CheckoutExpiredEvent;
import org.nhsv2.payment.api.CheckoutFailedEvent;
import org.nhsv2.payment.api.CheckoutOpenedEvent;
import org.nhsv2.payment.api.FailedRefundRecordedEvent;
import org.nhsv2.payment.api.InitiateCheckoutCommand;
import org.nhsv2.payment.api.LineItem;
import org.nhsv2.payment.api.PaymentAttemptFailedEvent;
import org.nhsv2.payment.api.PaymentFailedEvent;
import org.nhsv2.payment.api.PaymentSucceededEvent;
import org.nhsv2.payment.api.RefundAttemptFailedEvent;
import org.nhsv2.payment.api.RefundExcludedEvent;
import org.nhsv2.payment.api.RefundFailedEvent;
import org.nhsv2.payment.api.RefundRecordedEvent;
import org.nhsv2.payment.api.RefundRequestedEvent;
import org.nhsv2.payment.api.RefundReversedEvent;
import org.nhsv2.payment.api.RefundSubmittedEvent;
import org.nhsv2.payment.api.RefundSucceededEvent;
import org.nhsv2.payment.api.RequestedItem;
import org.nhsv2.payment.api.SealedFields;
import org.nhsv2.payment.api.StripeFact;
import org.nhsv2.payment.api.TransactionEmail;
import org.nhsv2.payment.api.TransactionEmailDeliveredEvent;
import org.nhsv2.payment.api.TransactionEmailFailedEvent;
import org.nhsv2.payment.api.TransactionInitiatedEvent;
import org.nhsv2.platform.api.Actor;
import org.nhsv2.platform.api.EncryptedText;
import org.nhsv2.platform.api.IdempotencyKey;
import org.nhsv2.platform.messaging.MessageIds;
import org.nhsv2.platform.vault.PersonalDataVault;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/** Actors, catalogue products, Stripe's answers and the events of a default transaction for the {@link Transaction} tests. */
final class TransactionFixtures {

    static final Instant NOW = Instant.parse("2030-03-04T09:00:00Z");

    static final UUID FACILITY_A = UUID.fromString("a0000000-0000-0000-0000-00000000000a");
    static final UUID FACILITY_B = UUID.fromString("b0000000-0000-0000-0000-00000000000b");

    static final Actor DOCTOR_A = doctor("d0000000-0000-0000-0000-0000000000a1", FACILITY_A);
    static final Actor DOCTOR_B = doctor("d0000000-0000-0000-0000-0000000000b1", FACILITY_B);
    /** Listed at no facility: an admin may refund anywhere all the same. */
    static final Actor ADMIN = new Actor(UUID.fromString("ad000000-0000-0000-0000-000000000001"), Actor.Role.ADMIN, Set.of());
    /** An admin listed at the facility, which does not make them one who may take a payment there. */
    static final Actor ADMIN_OF_A = new Actor(UUID.fromString("ad000000-0000-0000-0000-000000000002"), Actor.Role.ADMIN,
            Set.of(FACILITY_A));
    static final Actor PATIENT = patient("e0000000-0000-0000-0000-000000000001");
    static final Actor OTHER_PATIENT = patient("e0000000-0000-0000-0000-000000000002");

    static final UUID TRANSACTION_ID = UUID.fromString("70000000-0000-0000-0000-000000000001");
    static final UUID APPOINTMENT_ID = UUID.fromString("f0000000-0000-0000-0000-000000000001");
    static final String PATIENT_NAME = "Ada Lovelace";
    static final String PATIENT_EMAIL = "ada@example.org";

    static final Catalogue.Product CONSULTATION = new Catalogue.Product(
            UUID.fromString("9e000000-0000-0000-0000-000000000001"), "GP consultation", 4500, "GBP", true);
    static final Catalogue.Product BLOOD_TEST = new Catalogue.Product(
            UUID.fromString("9e000000-0000-0000-0000-000000000002"), "Blood test", 1500, "GBP", true);
    static final Catalogue.Product RETIRED = new Catalogue.Product(
            UUID.fromString("9e000000-0000-0000-0000-000000000003"), "Paper prescription", 900, "GBP", false);
    static final Catalogue.Product IN_EUROS = new Catalogue.Product(
            UUID.fromString("9e000000-0000-0000-0000-000000000004"), "Travel vaccine", 6000, "EUR", true);
    static final UUID NOT_IN_CATALOGUE = UUID.fromString("9e000000-0000-0000-0000-0000000000ff");

    /** The default checkout, one consultation and two blood tests, as the catalogue priced them. */
    static final List<LineItem> LINES = List.of(
            new LineItem(CONSULTATION.productId(), "GP consultation", 4500, 1, 4500),
            new LineItem(BLOOD_TEST.productId(), "Blood test", 1500, 2, 3000));
    static final String CURRENCY = "GBP";
    static final long TOTAL = 7500;

    static final String SESSION_ID = "cs_test_a1";
    static final String CHECKOUT_URL = "https://checkout.stripe.com/c/pay/cs_test_a1";
    /** What the first attempt asks of Stripe when opened at {@link #NOW}, and what Stripe answers. */
    static final Instant SESSION_EXPIRES_AT = NOW.plus(Duration.ofMinutes(31));
    /** When nothing was heard of the session, Stripe is asked: two minutes after its expiry. */
    static final Instant EXPIRY_CHECK = SESSION_EXPIRES_AT.plus(Duration.ofMinutes(2));
    static final String PAYMENT_INTENT_ID = "pi_test_a1";

    static final UUID REFUND_1 = UUID.fromString("7e000000-0000-0000-0000-000000000001");
    static final UUID REFUND_2 = UUID.fromString("7e000000-0000-0000-0000-000000000002");
    static final UUID REFUND_3 = UUID.fromString("7e000000-0000-0000-0000-000000000003");
    static final String REFUND_REASON = "Blood test not carried out";
    static final String STRIPE_KEPT_AN_ERROR = "Stripe failed creating the refund (HTTP 500)";

    // The emails of the default transaction's history, by the sequence number of the event that asked for each.
    static final UUID LINK_EMAIL = MessageIds.derived(TRANSACTION_ID, 1, "PAYMENT_LINK");
    static final UUID RECEIPT_EMAIL = MessageIds.derived(TRANSACTION_ID, 2, "PAYMENT_RECEIPT");
    /** The note of {@link History#REFUNDED}'s refund, whose success is its sixth event. */
    static final UUID REFUND_NOTE_EMAIL = MessageIds.derived(TRANSACTION_ID, 5, "REFUND_NOTE");
    static final String PROVIDER_MESSAGE_ID = "sg-message-1";
    static final Instant DELIVERED_AT = NOW.plusSeconds(5);
    static final String EMAIL_FAILURE = "Mailbox ada@example.org does not exist";

    private TransactionFixtures() {
    }

    static Actor doctor(String id, UUID... facilities) {
        return new Actor(UUID.fromString(id), Actor.Role.DOCTOR, Set.of(facilities));
    }

    static Actor patient(String id) {
        return new Actor(UUID.fromString(id), Actor.Role.PATIENT, Set.of());
    }

    /** The command as the REST edge sends it: with its actor in the metadata. */
    static CommandMessage<Object> by(Actor actor, Object command) {
        return GenericCommandMessage.asCommandMessage(command).andMetaData(actor.metaData());
    }

    /**
     * What the stubbed vault seals, naming the transaction and field the value is bound to, so events can
     * be compared exactly and a value sealed for the wrong record or field shows.
     */
    static EncryptedText sealed(UUID recordId, String field, String clearText) {
        return clearText == null ? null : new EncryptedText("sealed:" + recordId + ":" + field + ":" + clearText);
    }

    /** The stubbed vault's opening: only under the binding the value was sealed with, as the real vault does. */
    static String unseal(EncryptedText text, PersonalDataVault.Binding binding) {
        if (text == null) {
            return null;
        }
        String prefix = "sealed:" + binding.recordId() + ":" + binding.field() + ":";
        if (!text.ciphertext().startsWith(prefix)) {
            throw new IllegalStateException("opened under another binding than it was sealed with: " + binding);
        }
        return text.ciphertext().substring(prefix.length());
    }

    /**
     * A clock reading the fixture's simulated time: the one its stub deadline manager keeps, which starts
     * at {@link #NOW} and moves only when a test lets time elapse. Handlers and deadlines then agree on
     * "now", and a deadline the handler schedules from the clock lands after the one that fired.
     */
    static Clock simulatedClock(Supplier<Instant> now) {
        return new SimulatedClock(now, ZoneOffset.UTC);
    }

    private static final class SimulatedClock extends Clock {

        private final Supplier<Instant> now;
        private final ZoneId zone;

        private SimulatedClock(Supplier<Instant> now, ZoneId zone) {
            this.now = now;
            this.zone = zone;
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId newZone) {
            return new SimulatedClock(now, newZone);
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    /** One consultation and two blood tests for {@link #PATIENT} at {@link #FACILITY_A}. */
    static Checkout checkout() {
        return new Checkout(TRANSACTION_ID, FACILITY_A, PATIENT.id(), PATIENT_NAME, PATIENT_EMAIL,
                List.of(new RequestedItem(CONSULTATION.productId(), 1), new RequestedItem(BLOOD_TEST.productId(), 2)),
                APPOINTMENT_ID, null);
    }

    record Checkout(UUID transactionId, UUID facilityId, UUID patientId, String patientName, String patientEmail,
                    List<RequestedItem> items, UUID appointmentId, IdempotencyKey idempotencyKey) {

        Checkout withItems(RequestedItem... newItems) {
            return new Checkout(transactionId, facilityId, patientId, patientName, patientEmail, List.of(newItems),
                    appointmentId, idempotencyKey);
        }

        Checkout withItems(List<RequestedItem> newItems) {
            return new Checkout(transactionId, facilityId, patientId, patientName, patientEmail, newItems,
                    appointmentId, idempotencyKey);
        }

        Checkout forPatient(UUID newPatientId) {
            return new Checkout(transactionId, facilityId, newPatientId, patientName, patientEmail, items,
                    appointmentId, idempotencyKey);
        }

        Checkout atFacility(UUID newFacilityId) {
            return new Checkout(transactionId, newFacilityId, patientId, patientName, patientEmail, items,
                    appointmentId, idempotencyKey);
        }

        Checkout withoutEmailOrAppointment() {
            return new Checkout(transactionId, facilityId, patientId, patientName, null, items, null, idempotencyKey);
        }

        Checkout withIdempotencyKey(IdempotencyKey key) {
            return new Checkout(transactionId, facilityId, patientId, patientName, patientEmail, items,
                    appointmentId, key);
        }

        InitiateCheckoutCommand command() {
            return new InitiateCheckoutCommand(transactionId, facilityId, patientId, patientName, patientEmail, items,
                    appointmentId, idempotencyKey);
        }

        TransactionInitiatedEvent initiatedEvent() {
            return initiatedEvent(LINES, CURRENCY, TOTAL);
        }

        TransactionInitiatedEvent initiatedEvent(List<LineItem> lines, String currency, long total) {
            return new TransactionInitiatedEvent(transactionId, facilityId, patientId,
                    sealed(transactionId, SealedFields.PATIENT_NAME, patientName),
                    sealed(transactionId, SealedFields.PATIENT_EMAIL, patientEmail), lines, currency, total,
                    appointmentId, NOW);
        }
    }

    // The default transaction's events, in the order they usually come.

    static TransactionInitiatedEvent initiated() {
        return checkout().initiatedEvent();
    }

    static CheckoutFailedEvent checkoutFailed(int attempt, Instant attemptExpiresAt, boolean outcomeUnknown) {
        return new CheckoutFailedEvent(TRANSACTION_ID, attempt, attemptExpiresAt, outcomeUnknown, "Stripe said no");
    }

    static CheckoutOpenedEvent opened() {
        return new CheckoutOpenedEvent(TRANSACTION_ID, 1, SESSION_ID, CHECKOUT_URL, SESSION_EXPIRES_AT);
    }

    static PaymentSucceededEvent paid(String stripeEventId) {
        return new PaymentSucceededEvent(TRANSACTION_ID, stripeEventId, SESSION_ID, PAYMENT_INTENT_ID, TOTAL);
    }

    static CheckoutExpiredEvent expired(String stripeEventId) {
        return new CheckoutExpiredEvent(TRANSACTION_ID, stripeEventId);
    }

    static PaymentFailedEvent paymentFailed(String stripeEventId) {
        return new PaymentFailedEvent(TRANSACTION_ID, stripeEventId, "The asynchronous payment failed");
    }

    static PaymentAttemptFailedEvent attemptFailed(String stripeEventId) {
        return new PaymentAttemptFailedEvent(TRANSACTION_ID, stripeEventId, "Your card was declined.");
    }

    static RefundRequestedEvent refundRequested(UUID refundId, long amount) {
        return new RefundRequestedEvent(TRANSACTION_ID, refundId, amount,
                sealed(TRANSACTION_ID, SealedFields.refundReason(refundId), REFUND_REASON));
    }

    /** Stripe answered the refund's {@code attempt} with a 5xx it keeps under that attempt's key. */
    static RefundAttemptFailedEvent refundAttemptFailed(UUID refundId, int attempt) {
        return new RefundAttemptFailedEvent(TRANSACTION_ID, refundId, attempt, STRIPE_KEPT_AN_ERROR);
    }

    static RefundSubmittedEvent refundSubmitted(UUID refundId, String stripeRefundId) {
        return new RefundSubmittedEvent(TRANSACTION_ID, refundId, stripeRefundId);
    }

    static RefundSucceededEvent refundSucceeded(UUID refundId, String stripeRefundId, String stripeEventId, long amount) {
        return new RefundSucceededEvent(TRANSACTION_ID, refundId, stripeRefundId, stripeEventId, amount);
    }

    static RefundFailedEvent refundFailed(UUID refundId, String stripeEventId, String reason) {
        return new RefundFailedEvent(TRANSACTION_ID, refundId, stripeEventId, reason);
    }

    /** A refund made at Stripe directly, of the default payment. */
    static RefundRecordedEvent refundRecorded(String stripeRefundId, String stripeEventId, long amount) {
        return refundRecorded(stripeRefundId, stripeEventId, amount, PAYMENT_INTENT_ID);
    }

    static RefundRecordedEvent refundRecorded(String stripeRefundId, String stripeEventId, long amount,
                                              String paymentIntentId) {
        return new RefundRecordedEvent(TRANSACTION_ID, stripeRefundId, stripeEventId, amount, paymentIntentId);
    }

    /** A refund made at Stripe directly, of the default payment, first told as failed (see {@link #refundSettledFailed}). */
    static FailedRefundRecordedEvent failedRefundRecorded(String stripeRefundId, String stripeEventId, long amount) {
        return new FailedRefundRecordedEvent(TRANSACTION_ID, stripeRefundId, stripeEventId, amount, PAYMENT_INTENT_ID,
                "Stripe: expired_or_canceled_card");
    }

    static RefundExcludedEvent refundExcluded(String stripeRefundId, String paymentIntentId, String stripeEventId,
                                              long amount) {
        return new RefundExcludedEvent(TRANSACTION_ID, stripeRefundId, paymentIntentId, stripeEventId, amount);
    }

    static RefundReversedEvent refundReversed(UUID refundId, String stripeRefundId, String stripeEventId, long amount) {
        return new RefundReversedEvent(TRANSACTION_ID, refundId, stripeRefundId, stripeEventId, amount,
                "Stripe: expired_or_canceled_card");
    }

    static TransactionEmailDeliveredEvent emailDelivered(UUID requestId, TransactionEmail email) {
        return new TransactionEmailDeliveredEvent(TRANSACTION_ID, requestId, email, PROVIDER_MESSAGE_ID, DELIVERED_AT);
    }

    static TransactionEmailFailedEvent emailFailed(UUID requestId, TransactionEmail email, boolean permanent) {
        return new TransactionEmailFailedEvent(TRANSACTION_ID, requestId, email,
                sealed(TRANSACTION_ID, SealedFields.emailFailure(requestId), EMAIL_FAILURE), permanent);
    }

    /** Where the default transaction can be, as the events that bring it there. */
    enum History {
        INITIATED(initiated()),
        OPEN(initiated(), opened()),
        PAID(initiated(), opened(), paid("evt_paid")),
        PARTIALLY_REFUNDED(initiated(), opened(), paid("evt_paid"), refundRequested(REFUND_1, 2000),
                refundSubmitted(REFUND_1, "re_1"), refundSucceeded(REFUND_1, "re_1", "evt_refund", 2000)),
        REFUNDED(initiated(), opened(), paid("evt_paid"), refundRequested(REFUND_1, TOTAL),
                refundSubmitted(REFUND_1, "re_1"), refundSucceeded(REFUND_1, "re_1", "evt_refund", TOTAL)),
        FAILED(initiated(), opened(), paymentFailed("evt_failed")),
        EXPIRED(initiated(), opened(), expired("evt_expired")),
        EXPIRED_UNOPENED(initiated(), expired("evt_expired"));

        private final List<Object> events;

        History(Object... events) {
            this.events = List.of(events);
        }

        List<Object> events() {
            return events;
        }
    }

    // What Stripe says of the default transaction.

    static StripeFact.CheckoutPaid checkoutPaid() {
        return new StripeFact.CheckoutPaid(SESSION_ID, PAYMENT_INTENT_ID, TOTAL, "gbp");
    }

    static StripeFact.CheckoutExpired checkoutExpired() {
        return new StripeFact.CheckoutExpired(SESSION_ID);
    }

    static StripeFact.CheckoutPaymentFailed checkoutPaymentFailed() {
        return new StripeFact.CheckoutPaymentFailed(SESSION_ID, "The asynchronous payment failed");
    }

    static StripeFact.PaymentAttemptFailed paymentAttemptFailed() {
        return new StripeFact.PaymentAttemptFailed(PAYMENT_INTENT_ID, "Your card was declined.");
    }

    static StripeFact.RefundSettled refundSettled(String stripeRefundId, UUID refundId, long amount) {
        return refundSettled(stripeRefundId, refundId, amount, PAYMENT_INTENT_ID);
    }

    /** A refund that succeeded, of the payment {@code paymentIntentId} ({@code null}: not told). */
    static StripeFact.RefundSettled refundSettled(String stripeRefundId, UUID refundId, long amount,
                                                  String paymentIntentId) {
        return new StripeFact.RefundSettled(stripeRefundId, refundId, amount, true, null, paymentIntentId);
    }

    static StripeFact.RefundSettled refundSettledFailed(String stripeRefundId, UUID refundId, long amount) {
        return new StripeFact.RefundSettled(stripeRefundId, refundId, amount, false, "Stripe: expired_or_canceled_card",
                PAYMENT_INTENT_ID);
    }

    static StripeCheckouts.SessionState sessionState(String status, String paymentStatus) {
        return new StripeCheckouts.SessionState(SESSION_ID, status, paymentStatus,
                "paid".equals(paymentStatus) ? PAYMENT_INTENT_ID : null, TOTAL, "gbp");
    }

    /** A refund of the default payment as Stripe tells it when asked; {@code failed} ones without a reason. */
    static StripeCheckouts.RefundState refundState(String stripeRefundId, String status, long amount) {
        return new StripeCheckouts.RefundState(stripeRefundId, status, amount, null, PAYMENT_INTENT_ID);
    }

    static StripeCheckouts.RefundRequest refundRequest(UUID refundId, long amount) {
        return new StripeCheckouts.RefundRequest(TRANSACTION_ID, refundId, PAYMENT_INTENT_ID, amount, "refund-" + refundId);
    }

    /** The request of a later attempt, after Stripe kept an error under each earlier attempt's key. */
    static StripeCheckouts.RefundRequest refundRequest(UUID refundId, long amount, int attempt) {
        return new StripeCheckouts.RefundRequest(TRANSACTION_ID, refundId, PAYMENT_INTENT_ID, amount,
                "refund-" + refundId + ":" + attempt);
    }
}
