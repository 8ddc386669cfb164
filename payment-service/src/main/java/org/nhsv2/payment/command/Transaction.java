package org.nhsv2.payment.command;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;
import org.nhsv2.payment.api.ApplyStripeFactCommand;
import org.nhsv2.payment.api.CheckoutExpiredEvent;
import org.nhsv2.payment.api.CheckoutExpiryDeadline;
import org.nhsv2.payment.api.CheckoutFailedEvent;
import org.nhsv2.payment.api.CheckoutOpenedEvent;
import org.nhsv2.payment.api.CheckoutResult;
import org.nhsv2.payment.api.DisputeClosedEvent;
import org.nhsv2.payment.api.DisputeEscalatedEvent;
import org.nhsv2.payment.api.EmailStatus;
import org.nhsv2.payment.api.FailedRefundRecordedEvent;
import org.nhsv2.payment.api.InitiateCheckoutCommand;
import org.nhsv2.payment.api.LineItem;
import org.nhsv2.payment.api.OpenCheckoutCommand;
import org.nhsv2.payment.api.PaymentAttemptFailedEvent;
import org.nhsv2.payment.api.PaymentDisputedEvent;
import org.nhsv2.payment.api.PaymentError;
import org.nhsv2.payment.api.PaymentFailedEvent;
import org.nhsv2.payment.api.PaymentMismatchedEvent;
import org.nhsv2.payment.api.PaymentRejection;
import org.nhsv2.payment.api.PaymentSucceededEvent;
import org.nhsv2.payment.api.RecordEmailDeliveredCommand;
import org.nhsv2.payment.api.RecordEmailFailedCommand;
import org.nhsv2.payment.api.ReconcileTransactionCommand;
import org.nhsv2.payment.api.RefundAttemptFailedEvent;
import org.nhsv2.payment.api.RefundExcludedEvent;
import org.nhsv2.payment.api.RefundFailedEvent;
import org.nhsv2.payment.api.RefundRecordedEvent;
import org.nhsv2.payment.api.RefundRequestedEvent;
import org.nhsv2.payment.api.RefundReversedEvent;
import org.nhsv2.payment.api.RefundStatus;
import org.nhsv2.payment.api.RefundSubmittedEvent;
import org.nhsv2.payment.api.RefundSucceededEvent;
import org.nhsv2.payment.api.RequestRefundCommand;
import org.nhsv2.payment.api.RequestedItem;
import org.nhsv2.payment.api.SealedFields;
import org.nhsv2.payment.api.StripeFact;
import org.nhsv2.payment.api.SubmitRefundCommand;
import org.nhsv2.payment.api.TransactionEmail;
import org.nhsv2.payment.api.TransactionEmailDeliveredEvent;
import org.nhsv2.payment.api.TransactionEmailFailedEvent;
import org.nhsv2.payment.api.TransactionInitiatedEvent;
import org.nhsv2.payment.api.TransactionStatus;
import org.nhsv2.platform.api.Actor;
import org.nhsv2.platform.api.EncryptedText;
import org.nhsv2.platform.messaging.MessageIds;
import org.nhsv2.platform.vault.PersonalDataVault.Binding;
import org.nhsv2.platform.vault.PersonalDataVault;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One payment of a patient at a facility, driven through its lifecycle by Stripe's facts. Prices come
 * from the catalogue at initiation and never change after. Each Stripe event is applied once: a
 * redelivered or stale fact changes nothing. Refunds count as taken from the moment they are requested
 * until they fail, so two refunds can never together exceed the total; a refund that fails after it succeeded is
 * refundable again, and one that failed stays failed, whatever older news of it Stripe delivers late. The emails its events ask for
 * are known here by their request ids, so notification-service's answers are recorded once each, and
 * only for emails this transaction asked for.
 */
@Aggregate
class Transaction {

    static final String CHECKOUT_EXPIRY = "checkout-expiry";
    /** Stripe's shortest session; a minute more, so the session is still long enough when Stripe gets the call. */
    static final Duration CHECKOUT_LIFETIME = Duration.ofMinutes(31);
    /** After the session's expiry, how long a webhook may take before Stripe is asked. */
    static final Duration RECONCILE_GRACE = Duration.ofMinutes(2);
    static final Duration RECONCILE_AGAIN = Duration.ofMinutes(5);
    /** How many of a refund's keys Stripe may spend with a kept error; then, Stripe holding none, the refund has failed. */
    static final int MAX_SPENT_REFUND_KEYS = 5;

    @AggregateIdentifier
    private UUID transactionId;
    private UUID facilityId;
    private UUID patientId;
    private EncryptedText patientEmail;
    private List<LineItem> items;
    private String currency;
    private long totalAmount;
    private TransactionStatus status;
    private boolean checkoutOpenable;
    /** When the checkout started, by the service's clock; {@code null} for one started before it was kept. */
    private Instant initiatedAt;
    private int attempt;
    private Instant attemptExpiresAt;
    private boolean lastAttemptOutcomeUnknown;
    private String sessionId;
    private String checkoutUrl;
    private Instant expiresAt;
    private String paymentIntentId;
    private long refundedAmount;
    private boolean paymentRecorded;
    private final Set<String> appliedStripeEvents = new HashSet<>();
    /** Payments Stripe took that were not this transaction's total, by payment intent: each recorded once. */
    private final Set<String> mismatchedPayments = new HashSet<>();
    /** Refunds made at Stripe directly, by Stripe's id, in the order Stripe told of them. */
    private final Map<String, OutsideRefund> outsideRefunds = new LinkedHashMap<>();
    private final Map<UUID, Refund> refunds = new LinkedHashMap<>();
    /** The emails asked for, by request id: derived as the email handler derives them (see {@link #emailRequested}). */
    private final Map<UUID, TransactionEmail> emailRequests = new HashMap<>();
    private final Map<UUID, EmailStatus> emailOutcomes = new HashMap<>();
    /** The disputes of payments Stripe told of, by Stripe's id, in the order it told of them. */
    private final Map<String, Dispute> disputes = new LinkedHashMap<>();

    /**
     * A refund as the aggregate needs it; its reason as requested, sealed, to tell a repeated request from another.
     * {@code failedAttempts}: the attempts whose keys Stripe answered with an error it keeps (see
     * {@link RefundAttemptFailedEvent}); the next attempt has a key of its own.
     */
    private static final class Refund {
        private final long amount;
        private final EncryptedText reason;
        private RefundStatus status = RefundStatus.REQUESTED;
        private String stripeRefundId;
        private int failedAttempts;

        private Refund(long amount, EncryptedText reason) {
            this.amount = amount;
            this.reason = reason;
        }

        /** Compared by value, as the test fixture compares the state events rebuild with the state commands left. */
        @Override
        public boolean equals(Object other) {
            return other instanceof Refund refund && amount == refund.amount && Objects.equals(reason, refund.reason)
                    && status == refund.status && Objects.equals(stripeRefundId, refund.stripeRefundId)
                    && failedAttempts == refund.failedAttempts;
        }

        @Override
        public int hashCode() {
            return Objects.hash(amount, reason, status, stripeRefundId, failedAttempts);
        }
    }

    /**
     * A dispute of a payment: the payment it disputes (told before the payment was recorded, it may turn out to be
     * another's, and then counts for nothing here), the amount, whether it is still an inquiry, closed, lost.
     */
    private record Dispute(String paymentIntentId, long amount, boolean inquiry, boolean closed, boolean lost) {

        private Dispute escalated() {
            return new Dispute(paymentIntentId, amount, false, false, false);
        }

        private Dispute closedNow(boolean won, long finalAmount) {
            return new Dispute(paymentIntentId, finalAmount, inquiry, true, !won);
        }
    }

    /**
     * A refund made at Stripe directly: the amount it counts for, 0 once it failed (before or after it succeeded) or
     * turned out to give back another payment; the payment it gives back, {@code null} when Stripe did not tell it;
     * whether it was excluded as another payment's (then it is not the transaction's at all, nor listed).
     */
    private record OutsideRefund(long amount, String paymentIntentId, boolean excluded) {

        private OutsideRefund uncounted() {
            return new OutsideRefund(0, paymentIntentId, excluded);
        }

        private OutsideRefund excludedNow() {
            return new OutsideRefund(0, paymentIntentId, true);
        }
    }

    Transaction() {
        // Required by Axon to rebuild the aggregate from its events.
    }

    @CommandHandler
    Transaction(InitiateCheckoutCommand command, Actor actor, CheckoutRequests requests, Catalogue catalogue,
                PersonalDataVault vault, OwnCheckoutStarts ownCheckouts, Clock clock) {
        requireMayPayFor(command.facilityId(), command.patientId(), actor);
        if (command.idempotencyKey() != null) {
            // First, so a retry is recognised before anything else is decided.
            requests.remember(command.idempotencyKey(), command);
        }
        requireRoomForAnotherOf(command, actor, ownCheckouts, clock);
        Snapshot snapshot = snapshot(command.items(), catalogue);
        UUID id = command.transactionId();
        PersonalDataVault.Sealer sealer = vault.sealerFor(command.patientId());
        apply(new TransactionInitiatedEvent(id, command.facilityId(), command.patientId(),
                sealer.seal(command.patientName(), Binding.of(id, SealedFields.PATIENT_NAME)),
                sealer.seal(command.patientEmail(), Binding.of(id, SealedFields.PATIENT_EMAIL)),
                snapshot.lines(), snapshot.currency(), snapshot.total(), command.appointmentId(), clock.instant()));
    }

    /**
     * Opens the Checkout Session, or returns the open one. After a failure whose outcome Stripe did not
     * tell (a timeout), the retry repeats the very same request and idempotency key, so Stripe answers
     * with the session it may have made; after a refusal, a new attempt gets a new key.
     */
    @CommandHandler
    CheckoutResult handle(OpenCheckoutCommand command, Actor actor, Clock clock, StripeCheckouts stripe,
                          PersonalDataVault vault, DeadlineManager deadlines) {
        requireMayPayFor(facilityId, patientId, actor);
        if (status == TransactionStatus.OPEN) {
            return new CheckoutResult(transactionId, true, checkoutUrl, expiresAt, null);
        }
        if (!checkoutOpenable) {
            throw new TransactionRejectedException(PaymentError.NOT_OPENABLE);
        }
        if (initiatedAt != null && clock.instant().isAfter(initiatedAt.plus(CHECKOUT_LIFETIME))) {
            // Not opened within a checkout's lifetime of its start (Stripe failing meanwhile, or the instance stopping
            // between starting and opening it): over for good. A request replayed with its old key would otherwise open
            // it now, past the cap on a patient's waiting checkouts, which no longer counts it; a new one is counted.
            throw new TransactionRejectedException(PaymentError.NOT_OPENABLE);
        }
        boolean repeat = attempt > 0 && lastAttemptOutcomeUnknown;
        int thisAttempt = repeat ? attempt : attempt + 1;
        Instant thisExpiry = repeat ? attemptExpiresAt
                : clock.instant().plus(CHECKOUT_LIFETIME).truncatedTo(ChronoUnit.SECONDS);
        String email = vault.open(patientId, patientEmail, Binding.of(transactionId, SealedFields.PATIENT_EMAIL));
        String customerEmail = EncryptedText.ERASED.equals(email) ? null : email;
        try {
            StripeCheckouts.OpenedSession session = stripe.openSession(new StripeCheckouts.SessionRequest(transactionId,
                    stripeIdempotencyKey(thisAttempt), items, currency, customerEmail, thisExpiry));
            apply(new CheckoutOpenedEvent(transactionId, thisAttempt, session.sessionId(), session.url(), session.expiresAt()));
            deadlines.schedule(session.expiresAt().plus(RECONCILE_GRACE), CHECKOUT_EXPIRY,
                    new CheckoutExpiryDeadline(session.sessionId()));
            return new CheckoutResult(transactionId, true, session.url(), session.expiresAt(), null);
        } catch (StripeFailure failure) {
            apply(new CheckoutFailedEvent(transactionId, thisAttempt, thisExpiry, failure.outcomeUnknown(),
                    failure.getMessage()));
            return new CheckoutResult(transactionId, false, null, null, failure.getMessage());
        }
    }

    /** The transaction id itself for the first attempt; a later attempt (after a refusal) needs a key of its own. */
    private String stripeIdempotencyKey(int thisAttempt) {
        return thisAttempt == 1 ? transactionId.toString() : transactionId + ":" + thisAttempt;
    }

    @CommandHandler
    void handle(ApplyStripeFactCommand command) {
        String eventId = command.stripeEventId();
        if (eventId != null && appliedStripeEvents.contains(eventId)) {
            return;
        }
        applyFact(command.fact(), eventId);
    }

    @CommandHandler
    void handle(RequestRefundCommand command, Actor actor, PersonalDataVault vault) {
        requireDoctorOfFacilityOrAdmin(actor);
        Refund existing = refunds.get(command.refundId());
        if (existing != null) {
            if (existing.amount != command.amount() || !hasReason(existing, command, vault)) {
                throw new TransactionRejectedException(PaymentError.IDEMPOTENCY_KEY_REUSED);
            }
            return; // the same request again: it is already recorded
        }
        if (!status.isPaid() || status == TransactionStatus.REFUNDED) {
            throw new TransactionRejectedException(PaymentError.NOT_REFUNDABLE);
        }
        if (disputesOfThePayment().anyMatch(dispute -> !dispute.closed() && !dispute.inquiry())) {
            throw new TransactionRejectedException(PaymentError.PAYMENT_DISPUTED);
        }
        if (refunds.size() >= PaymentError.MAX_REFUNDS) {
            throw new TransactionRejectedException(PaymentError.TOO_MANY_REFUNDS);
        }
        if (command.amount() < 1) {
            throw new TransactionRejectedException(PaymentError.INVALID_REFUND_AMOUNT);
        }
        if (command.reason() == null || command.reason().isBlank() || command.reason().length() > PaymentError.MAX_REASON_LENGTH) {
            throw new TransactionRejectedException(PaymentError.REFUND_REASON_REQUIRED);
        }
        long remainder = refundableRemainder();
        if (command.amount() > remainder) {
            throw new TransactionRejectedException(PaymentRejection.of(PaymentError.REFUND_EXCEEDS_REMAINDER,
                    "At most " + remainder + " (minor units of " + currency + ") is left to refund"));
        }
        apply(new RefundRequestedEvent(transactionId, command.refundId(), command.amount(), vault.sealerFor(patientId)
                .seal(command.reason(), Binding.of(transactionId, SealedFields.refundReason(command.refundId())))));
    }

    /** The reason the refund was requested with; any, once the patient's data is erased and it cannot be read. */
    private boolean hasReason(Refund refund, RequestRefundCommand command, PersonalDataVault vault) {
        String requested = vault.open(patientId, refund.reason,
                Binding.of(transactionId, SealedFields.refundReason(command.refundId())));
        return EncryptedText.ERASED.equals(requested) || requested.equals(command.reason());
    }

    /** Returns the refund's status once Stripe has (or has not) taken it. */
    @CommandHandler
    RefundStatus handle(SubmitRefundCommand command, StripeCheckouts stripe) {
        Refund refund = refunds.get(command.refundId());
        if (refund == null) {
            throw new TransactionRejectedException(PaymentError.UNKNOWN_REFUND);
        }
        if (refund.status == RefundStatus.REQUESTED) {
            submit(command.refundId(), refund, stripe);
        }
        return refund.status;
    }

    /**
     * The sweep's question: it only asks, and schedules no check of its own. The checkout's deadline keeps its
     * own chain (see {@link #onCheckoutExpiry}); a sweep that scheduled a check each time it found the checkout
     * still unsettled would start another chain every few minutes, each asking Stripe again for good.
     */
    @CommandHandler
    void handle(ReconcileTransactionCommand command, StripeCheckouts stripe) {
        reconcile(stripe);
    }

    /**
     * No webhook told the checkout's end by its expiry (and a little after): Stripe is asked. While Stripe
     * cannot tell the end yet, this deadline schedules its one successor, so a checkout has one chain of checks.
     * The payload comes first: Axon resolves a deadline handler's first parameter as the deadline's payload.
     */
    @DeadlineHandler(deadlineName = CHECKOUT_EXPIRY)
    void onCheckoutExpiry(CheckoutExpiryDeadline deadline, StripeCheckouts stripe, DeadlineManager deadlines, Clock clock) {
        if (!reconcile(stripe)) {
            deadlines.schedule(clock.instant().plus(RECONCILE_AGAIN), CHECKOUT_EXPIRY, new CheckoutExpiryDeadline(sessionId));
        }
    }

    /** Returns false while the checkout is open and Stripe cannot tell its end yet. */
    private boolean reconcile(StripeCheckouts stripe) {
        boolean checkoutSettled = reconcileCheckout(stripe);
        for (Map.Entry<UUID, Refund> refund : new ArrayList<>(refunds.entrySet())) {
            if (refund.getValue().status == RefundStatus.REQUESTED) {
                submit(refund.getKey(), refund.getValue(), stripe);
            } else if (refund.getValue().status == RefundStatus.SUBMITTED && refund.getValue().stripeRefundId != null) {
                askAbout(refund.getKey(), refund.getValue(), stripe);
            }
        }
        return checkoutSettled;
    }

    /** Returns true when nothing more is to be asked of the checkout: it is not open, or Stripe told its end. */
    private boolean reconcileCheckout(StripeCheckouts stripe) {
        if (status != TransactionStatus.OPEN || sessionId == null) {
            return true;
        }
        try {
            StripeCheckouts.SessionState state = stripe.sessionState(sessionId);
            if (state.isPaid()) {
                applyFact(new StripeFact.CheckoutPaid(sessionId, state.paymentIntentId(), state.amountTotal(),
                        state.currency()), null);
                return true;
            }
            if (state.isExpired()) {
                applyFact(new StripeFact.CheckoutExpired(sessionId), null);
                return true;
            }
            // Still open at Stripe (its expiry runs late), or paid asynchronously and not settled yet.
            return false;
        } catch (StripeFailure failure) {
            return false;
        }
    }

    /**
     * A refund Stripe took as pending settles only by its webhook; if that never came (the endpoint down past Stripe's
     * retries, or misconfigured), its amount would stay reserved for good. Stripe's answer is applied as the webhook's
     * fact would be, so a settled refund is recorded once, whichever of the two tells it first.
     */
    private void askAbout(UUID refundId, Refund refund, StripeCheckouts stripe) {
        try {
            StripeCheckouts.RefundState state = stripe.refundState(refund.stripeRefundId);
            if (state.isSettled()) {
                applyFact(state.settled(refundId), null);
            }
            // Still pending at Stripe: it stays SUBMITTED, and the next sweep asks again.
        } catch (StripeFailure failure) {
            // Nothing is known that was not before: the next sweep asks again.
        }
    }

    /**
     * After Stripe kept an error under the refund's last key, it may have made the refund all the same: Stripe's
     * refunds of the payment are searched for it first (by our refund id in their metadata), and only when Stripe
     * holds none is it submitted again, under the next attempt's key, so that it is never made twice.
     */
    private void submit(UUID refundId, Refund refund, StripeCheckouts stripe) {
        int attempt = refund.failedAttempts + 1;
        if (attempt > 1 && settledBySearch(refundId, stripe)) {
            return;
        }
        if (refund.failedAttempts >= MAX_SPENT_REFUND_KEYS) {
            // Stripe holds none of them: failed, its amount refundable again, rather than a new key every sweep for good.
            apply(new RefundFailedEvent(transactionId, refundId, null, "Stripe answered " + refund.failedAttempts
                    + " attempts with an error and made no refund"));
            return;
        }
        try {
            StripeCheckouts.SubmittedRefund submitted = stripe.refund(new StripeCheckouts.RefundRequest(transactionId,
                    refundId, paymentIntentId, refund.amount, refundKey(refundId, attempt)));
            apply(new RefundSubmittedEvent(transactionId, refundId, submitted.stripeRefundId()));
            // Stripe's answer may already be final (a card refund usually is), and then no refund.updated follows.
            if ("succeeded".equals(submitted.status())) {
                apply(new RefundSucceededEvent(transactionId, refundId, submitted.stripeRefundId(), null, refund.amount));
            } else if ("failed".equals(submitted.status()) || "canceled".equals(submitted.status())) {
                apply(new RefundFailedEvent(transactionId, refundId, null, "Stripe answered " + submitted.status()));
            }
        } catch (StripeFailure failure) {
            if (failure.keySpent()) {
                apply(new RefundAttemptFailedEvent(transactionId, refundId, attempt, failure.getMessage()));
            } else if (!failure.outcomeUnknown()) {
                apply(new RefundFailedEvent(transactionId, refundId, null, failure.getMessage()));
            }
            // An unknown outcome stays requested: reconciliation submits it again, under the same key.
        }
    }

    /**
     * Whether the search settled the refund's submission: found, and recorded as its submission's answer would have
     * been; or Stripe could not tell, and it stays requested, to search again on the next try. False: Stripe holds none.
     */
    private boolean settledBySearch(UUID refundId, StripeCheckouts stripe) {
        Optional<StripeCheckouts.RefundState> made;
        try {
            made = stripe.findRefund(paymentIntentId, refundId);
        } catch (StripeFailure failure) {
            return true;
        }
        made.ifPresent(state -> {
            apply(new RefundSubmittedEvent(transactionId, refundId, state.stripeRefundId()));
            if (state.isSettled()) {
                applyFact(state.settled(refundId), null);
            }
        });
        return made.isPresent();
    }

    /** The refund id itself names the first attempt's key; a later attempt (after a spent key) needs a key of its own. */
    private static String refundKey(UUID refundId, int attempt) {
        return attempt == 1 ? "refund-" + refundId : "refund-" + refundId + ":" + attempt;
    }

    /** A delivery answered twice (a redelivered message) is recorded once; a delivery after a failure is recorded. */
    @CommandHandler
    void handle(RecordEmailDeliveredCommand command) {
        TransactionEmail email = requestedEmail(command.requestId());
        if (emailOutcomes.get(command.requestId()) != EmailStatus.DELIVERED) {
            apply(new TransactionEmailDeliveredEvent(transactionId, command.requestId(), email, command.providerMessageId(),
                    command.deliveredAt()));
        }
    }

    /** The first answer for an email counts: a failure after a delivery, or after a failure, changes nothing. */
    @CommandHandler
    void handle(RecordEmailFailedCommand command, PersonalDataVault vault) {
        TransactionEmail email = requestedEmail(command.requestId());
        if (!emailOutcomes.containsKey(command.requestId())) {
            apply(new TransactionEmailFailedEvent(transactionId, command.requestId(), email, vault.sealerFor(patientId)
                    .seal(command.reason(), Binding.of(transactionId, SealedFields.emailFailure(command.requestId()))),
                    command.permanent()));
        }
    }

    private TransactionEmail requestedEmail(UUID requestId) {
        TransactionEmail email = emailRequests.get(requestId);
        if (email == null) {
            throw new TransactionRejectedException(PaymentError.UNKNOWN_EMAIL_REQUEST);
        }
        return email;
    }

    /** Applies what Stripe says, if it changes anything; a stale or repeated fact changes nothing. */
    private void applyFact(StripeFact fact, String stripeEventId) {
        if (fact instanceof StripeFact.CheckoutPaid paid) {
            // Money taken is a fact whatever came before, an expiry included: it must be recorded; as this
            // transaction's payment only if it is the total, in the transaction's currency.
            // A second payment once it is paid (an earlier attempt's session, a Payment Link) is money taken twice.
            boolean another = paymentRecorded ? !Objects.equals(paid.paymentIntentId(), paymentIntentId)
                    : !paysTheTotal(paid);
            if (!paymentRecorded && !another) {
                apply(new PaymentSucceededEvent(transactionId, stripeEventId, paid.sessionId(), paid.paymentIntentId(),
                        paid.amount()));
                excludeRefundsOfOtherPayments(stripeEventId);
            } else if (another && !mismatchedPayments.contains(paid.paymentIntentId())) {
                apply(new PaymentMismatchedEvent(transactionId, stripeEventId, paid.sessionId(), paid.paymentIntentId(),
                        paid.amount(), paid.currency()));
                excludeRefundsOfOtherPayments(stripeEventId);
            }
        } else if (fact instanceof StripeFact.CheckoutPaymentFailed failed) {
            if (status == TransactionStatus.OPEN && isCurrentSession(failed.sessionId())) {
                apply(new PaymentFailedEvent(transactionId, stripeEventId, failed.reason()));
            }
        } else if (fact instanceof StripeFact.CheckoutExpired expired) {
            if ((status == TransactionStatus.OPEN || status == TransactionStatus.INITIATED)
                    && isCurrentSession(expired.sessionId())) {
                apply(new CheckoutExpiredEvent(transactionId, stripeEventId));
            }
        } else if (fact instanceof StripeFact.PaymentAttemptFailed attemptFailed) {
            if (status == TransactionStatus.OPEN) {
                apply(new PaymentAttemptFailedEvent(transactionId, stripeEventId, attemptFailed.reason()));
            }
        } else if (fact instanceof StripeFact.RefundSettled settled) {
            settle(settled, stripeEventId);
        } else if (fact instanceof StripeFact.PaymentDisputed disputed) {
            dispute(disputed, stripeEventId);
        }
    }

    /**
     * Each dispute, by Stripe's id: recorded when first told (told closed first, with its end at once), escalated once
     * an inquiry becomes a chargeback, closed once; a repeated or stale telling adds nothing. A dispute of a payment
     * that is not this transaction's (a mismatched one) is left to the operator who settles that payment at Stripe.
     */
    private void dispute(StripeFact.PaymentDisputed disputed, String stripeEventId) {
        String id = disputed.disputeId();
        if (id == null || isAnotherPayment(disputed.paymentIntentId())) {
            return;
        }
        boolean chargeback = disputed.chargeback();
        Dispute known = disputes.get(id);
        if (known == null) {
            apply(new PaymentDisputedEvent(transactionId, stripeEventId, id, disputed.paymentIntentId(), disputed.amount(),
                    disputed.reason(), !chargeback));
        } else if (known.inquiry() && chargeback) {
            // Also after the inquiry closed: Stripe never goes back from a chargeback's status to an inquiry's.
            apply(new DisputeEscalatedEvent(transactionId, stripeEventId, id));
        } else if (known.closed() || !known.inquiry() && !chargeback) {
            // An inquiry's status told after the chargeback (events come in any order) is stale: it neither ends the
            // chargeback nor stands for its outcome, which a chargeback's own status tells.
            return;
        }
        if (disputed.closed() && !disputes.get(id).closed()) {
            apply(new DisputeClosedEvent(transactionId, stripeEventId, id, !disputed.lost(), disputed.amount(),
                    chargeback));
        }
    }

    /** The disputes of this transaction's payment: those of a payment that turned out to be another's do not count. */
    private Stream<Dispute> disputesOfThePayment() {
        return disputes.values().stream().filter(dispute -> !isAnotherPayment(dispute.paymentIntentId()));
    }

    /**
     * Whether a payment intent Stripe names (a refund's, a dispute's) is a payment that is not this transaction's: one
     * recorded as mismatched, or any but the recorded one once the transaction is paid. Before that, an unknown payment
     * counts as this one: Stripe may tell of a refund before the payment it gives back (see
     * {@link #excludeRefundsOfOtherPayments}).
     */
    private boolean isAnotherPayment(String named) {
        return named != null && (mismatchedPayments.contains(named)
                || paymentRecorded && !named.equals(paymentIntentId));
    }

    /**
     * Once Stripe told whose a payment is: the refunds made at Stripe directly that were recorded when told before it,
     * and turn out to give back a payment that is not this transaction's, count no more and are no longer its refunds
     * (a failed one, counted for nothing, is no longer listed either).
     */
    private void excludeRefundsOfOtherPayments(String stripeEventId) {
        for (Map.Entry<String, OutsideRefund> refund : List.copyOf(outsideRefunds.entrySet())) {
            if (!refund.getValue().excluded() && isAnotherPayment(refund.getValue().paymentIntentId())) {
                apply(new RefundExcludedEvent(transactionId, refund.getKey(), refund.getValue().paymentIntentId(),
                        stripeEventId, refund.getValue().amount()));
            }
        }
    }

    /** A fact without a currency (a command sent before facts carried one) is taken at its amount. */
    private boolean paysTheTotal(StripeFact.CheckoutPaid paid) {
        return paid.amount() == totalAmount && (paid.currency() == null || currency.equalsIgnoreCase(paid.currency()));
    }

    /** A session of an earlier attempt (one whose answer was lost) does not end the current one. */
    private boolean isCurrentSession(String factSessionId) {
        return sessionId == null || factSessionId == null || sessionId.equals(factSessionId);
    }

    private void settle(StripeFact.RefundSettled settled, String stripeEventId) {
        UUID refundId = settled.refundId() != null && refunds.containsKey(settled.refundId()) ? settled.refundId()
                : refunds.entrySet().stream().filter(r -> settled.stripeRefundId().equals(r.getValue().stripeRefundId))
                .map(Map.Entry::getKey).findFirst().orElse(null);
        if (refundId != null) {
            Refund refund = refunds.get(refundId);
            if (refund.status == RefundStatus.SUCCEEDED && !settled.succeeded()) {
                apply(new RefundReversedEvent(transactionId, refundId, settled.stripeRefundId(), stripeEventId,
                        refund.amount, settled.failureReason()));
            } else if (!refund.status.isSettled()) {
                if (settled.succeeded()) {
                    apply(new RefundSucceededEvent(transactionId, refundId, settled.stripeRefundId(), stripeEventId,
                            refund.amount));
                } else {
                    apply(new RefundFailedEvent(transactionId, refundId, stripeEventId, settled.failureReason()));
                }
            }
        } else if (!isAnotherPayment(settled.paymentIntentId())) {
            // A refund of a payment recorded as not this transaction's is an operator's to settle at Stripe: not here.
            settleOutside(settled, stripeEventId);
        }
    }

    /**
     * A refund made at Stripe directly is recorded as Stripe first tells of it, succeeded or failed. Stripe does not
     * deliver its webhooks in order, and a refund can go from succeeded to failed but never back: after a failure, an
     * older snapshot saying it succeeded changes nothing, and a failure after a success reverses it, once.
     */
    private void settleOutside(StripeFact.RefundSettled settled, String stripeEventId) {
        OutsideRefund known = outsideRefunds.get(settled.stripeRefundId());
        if (known == null) {
            if (settled.succeeded()) {
                apply(new RefundRecordedEvent(transactionId, settled.stripeRefundId(), stripeEventId, settled.amount(),
                        settled.paymentIntentId()));
            } else {
                apply(new FailedRefundRecordedEvent(transactionId, settled.stripeRefundId(), stripeEventId,
                        settled.amount(), settled.paymentIntentId(), settled.failureReason()));
            }
        } else if (!settled.succeeded() && known.amount() > 0) {
            apply(new RefundReversedEvent(transactionId, RefundRecordedEvent.refundIdOf(settled.stripeRefundId()),
                    settled.stripeRefundId(), stripeEventId, known.amount(), settled.failureReason()));
        }
    }

    @EventSourcingHandler
    void on(TransactionInitiatedEvent event) {
        initiatedAt = event.initiatedAt();
        transactionId = event.transactionId();
        facilityId = event.facilityId();
        patientId = event.patientId();
        patientEmail = event.patientEmail();
        items = event.items();
        currency = event.currency();
        totalAmount = event.totalAmount();
        status = TransactionStatus.INITIATED;
        checkoutOpenable = true;
    }

    @EventSourcingHandler
    void on(CheckoutOpenedEvent event, @SequenceNumber long sequence) {
        emailRequested(TransactionEmail.PAYMENT_LINK, sequence);
        attempt = event.attempt();
        sessionId = event.sessionId();
        checkoutUrl = event.checkoutUrl();
        expiresAt = event.expiresAt();
        status = TransactionStatus.OPEN;
    }

    @EventSourcingHandler
    void on(CheckoutFailedEvent event) {
        attempt = event.attempt();
        attemptExpiresAt = event.attemptExpiresAt();
        lastAttemptOutcomeUnknown = event.outcomeUnknown();
        // Still INITIATED: the payment did not fail, opening its checkout did, and may be tried again.
    }

    @EventSourcingHandler
    void on(PaymentSucceededEvent event, @SequenceNumber long sequence) {
        emailRequested(TransactionEmail.PAYMENT_RECEIPT, sequence);
        applied(event.stripeEventId());
        paymentIntentId = event.paymentIntentId();
        paymentRecorded = true;
        status = refundStatus();
        checkoutOpenable = false;
    }

    @EventSourcingHandler
    void on(PaymentMismatchedEvent event) {
        applied(event.stripeEventId());
        mismatchedPayments.add(event.paymentIntentId());
    }

    @EventSourcingHandler
    void on(PaymentDisputedEvent event) {
        applied(event.stripeEventId());
        disputes.put(event.disputeId(), new Dispute(event.paymentIntentId(), event.amount(), event.inquiry(), false, false));
    }

    @EventSourcingHandler
    void on(DisputeEscalatedEvent event) {
        applied(event.stripeEventId());
        disputes.computeIfPresent(event.disputeId(), (id, dispute) -> dispute.escalated());
    }

    @EventSourcingHandler
    void on(DisputeClosedEvent event) {
        applied(event.stripeEventId());
        disputes.computeIfPresent(event.disputeId(), (id, dispute) -> dispute.closedNow(event.won(), event.amount()));
    }

    @EventSourcingHandler
    void on(PaymentAttemptFailedEvent event) {
        applied(event.stripeEventId());
    }

    @EventSourcingHandler
    void on(PaymentFailedEvent event) {
        applied(event.stripeEventId());
        status = TransactionStatus.FAILED;
        checkoutOpenable = false;
    }

    @EventSourcingHandler
    void on(CheckoutExpiredEvent event) {
        applied(event.stripeEventId());
        status = TransactionStatus.EXPIRED;
        checkoutOpenable = false;
    }

    @EventSourcingHandler
    void on(RefundRequestedEvent event) {
        refunds.put(event.refundId(), new Refund(event.amount(), event.reason()));
    }

    @EventSourcingHandler
    void on(RefundSubmittedEvent event) {
        Refund refund = refunds.get(event.refundId());
        refund.status = RefundStatus.SUBMITTED;
        refund.stripeRefundId = event.stripeRefundId();
    }

    @EventSourcingHandler
    void on(RefundAttemptFailedEvent event) {
        refunds.get(event.refundId()).failedAttempts = event.attempt();
    }

    @EventSourcingHandler
    void on(RefundSucceededEvent event, @SequenceNumber long sequence) {
        emailRequested(TransactionEmail.REFUND_NOTE, sequence);
        applied(event.stripeEventId());
        Refund refund = refunds.get(event.refundId());
        refund.status = RefundStatus.SUCCEEDED;
        if (event.stripeRefundId() != null) {
            refund.stripeRefundId = event.stripeRefundId();
        }
        refunded(refund.amount);
    }

    @EventSourcingHandler
    void on(RefundFailedEvent event) {
        applied(event.stripeEventId());
        refunds.get(event.refundId()).status = RefundStatus.FAILED;
    }

    @EventSourcingHandler
    void on(RefundRecordedEvent event, @SequenceNumber long sequence) {
        emailRequested(TransactionEmail.REFUND_NOTE, sequence);
        applied(event.stripeEventId());
        outsideRefunds.put(event.stripeRefundId(), new OutsideRefund(event.amount(), event.paymentIntentId(), false));
        refunded(event.amount());
    }

    @EventSourcingHandler
    void on(FailedRefundRecordedEvent event) {
        applied(event.stripeEventId());
        outsideRefunds.put(event.stripeRefundId(), new OutsideRefund(0, event.paymentIntentId(), false));
    }

    @EventSourcingHandler
    void on(RefundExcludedEvent event) {
        applied(event.stripeEventId());
        outsideRefunds.computeIfPresent(event.stripeRefundId(), (id, refund) -> refund.excludedNow());
        refunded(-event.amount());
    }

    @EventSourcingHandler
    void on(RefundReversedEvent event) {
        applied(event.stripeEventId());
        Refund refund = refunds.get(event.refundId());
        if (refund != null) {
            refund.status = RefundStatus.FAILED;
        } else {
            outsideRefunds.computeIfPresent(event.stripeRefundId(), (id, outside) -> outside.uncounted());
        }
        refunded(-event.amount());
    }

    @EventSourcingHandler
    void on(TransactionEmailDeliveredEvent event) {
        emailOutcomes.put(event.requestId(), EmailStatus.DELIVERED);
    }

    @EventSourcingHandler
    void on(TransactionEmailFailedEvent event) {
        emailOutcomes.put(event.requestId(), EmailStatus.FAILED);
    }

    /**
     * The email handler asks for this email under this id (whether or not it could send it: an erased
     * patient gets none), and its answer comes back under it.
     */
    private void emailRequested(TransactionEmail email, long sequence) {
        emailRequests.put(MessageIds.derived(transactionId, sequence, email.name()), email);
    }

    private void applied(String stripeEventId) {
        if (stripeEventId != null) {
            appliedStripeEvents.add(stripeEventId);
        }
    }

    private void refunded(long amount) {
        refundedAmount += amount;
        if (paymentRecorded) {
            status = refundStatus();
        }
    }

    private TransactionStatus refundStatus() {
        if (refundedAmount == 0) {
            return TransactionStatus.PAID;
        }
        return refundedAmount >= totalAmount ? TransactionStatus.REFUNDED : TransactionStatus.PARTIALLY_REFUNDED;
    }

    /**
     * What may still be refunded: the total, less refunds that succeeded or have not failed yet, and less disputes
     * lost (that money went back to the payer through their bank); never less than nothing.
     */
    private long refundableRemainder() {
        long pending = refunds.values().stream().filter(refund -> !refund.status.isSettled())
                .mapToLong(refund -> refund.amount).sum();
        long chargedBack = disputesOfThePayment().filter(Dispute::lost).mapToLong(Dispute::amount).sum();
        return Math.max(0, totalAmount - refundedAmount - pending - chargedBack);
    }

    /** The items with their names and prices as the catalogue has them now, in one currency. */
    private record Snapshot(List<LineItem> lines, String currency, long total) {
    }

    private static Snapshot snapshot(List<RequestedItem> requested, Catalogue catalogue) {
        if (requested.isEmpty()) {
            throw new TransactionRejectedException(PaymentError.NO_ITEMS);
        }
        if (requested.size() > PaymentError.MAX_ITEMS || requested.stream()
                .anyMatch(item -> item.quantity() < 1 || item.quantity() > PaymentError.MAX_QUANTITY)) {
            throw new TransactionRejectedException(PaymentError.INVALID_QUANTITY);
        }
        Map<UUID, Catalogue.Product> products = catalogue.find(requested.stream().map(RequestedItem::productId).toList());
        List<LineItem> lines = new ArrayList<>();
        Set<String> currencies = new HashSet<>();
        for (RequestedItem item : requested) {
            Catalogue.Product product = products.get(item.productId());
            if (product == null) {
                throw new TransactionRejectedException(PaymentRejection.of(PaymentError.UNKNOWN_PRODUCT,
                        "No product " + item.productId() + " in the catalogue"));
            }
            if (!product.active()) {
                throw new TransactionRejectedException(PaymentRejection.of(PaymentError.INACTIVE_PRODUCT,
                        "Product " + item.productId() + " is no longer sold"));
            }
            currencies.add(product.currency());
            lines.add(new LineItem(product.productId(), product.name(), product.unitAmount(), item.quantity(),
                    Math.multiplyExact(product.unitAmount(), (long) item.quantity())));
        }
        if (currencies.size() > 1) {
            throw new TransactionRejectedException(PaymentRejection.of(PaymentError.MIXED_CURRENCIES,
                    "The items are in " + String.join(" and ", currencies.stream().sorted().toList())));
        }
        String currency = currencies.iterator().next();
        long total = lines.stream().mapToLong(LineItem::amount).reduce(0, Math::addExact);
        if (total > PaymentError.MAX_TOTAL) {
            // Stripe would refuse the session, and every retry would fail the same way.
            throw new TransactionRejectedException(PaymentRejection.of(PaymentError.TOTAL_TOO_LARGE,
                    "The items come to " + total + " (minor units of " + currency + "); at most "
                            + PaymentError.MAX_TOTAL + " can be paid at once"));
        }
        return new Snapshot(lines, currency, total);
    }

    /**
     * A patient starting their own checkout while {@link PaymentError#MAX_OPEN_CHECKOUTS} of theirs wait to be paid is
     * refused: each opens a Stripe session and sends an email, and may name any facility. Waiting: open, or still
     * initiated (Stripe did not open it) for as long as a checkout lives, after which nothing ends one that never
     * opened. Counted under the patient's lock, so requests sent together are held to it as exactly as requests sent one
     * after another ({@link OwnCheckoutStarts}). Doctors, who start checkouts for their patients, are not held to it.
     */
    private static void requireRoomForAnotherOf(InitiateCheckoutCommand command, Actor actor,
                                                OwnCheckoutStarts ownCheckouts, Clock clock) {
        if (actor == null || actor.role() != Actor.Role.PATIENT) {
            return;
        }
        Instant now = clock.instant();
        if (ownCheckouts.waiting(command.patientId(), now.minus(CHECKOUT_LIFETIME)) >= PaymentError.MAX_OPEN_CHECKOUTS) {
            throw new TransactionRejectedException(PaymentError.TOO_MANY_OPEN_CHECKOUTS);
        }
        ownCheckouts.started(command.transactionId(), command.patientId(), now);
    }

    /** A doctor of the facility for any patient, or a patient for themselves. */
    private static void requireMayPayFor(UUID facility, UUID patient, Actor actor) {
        if (actor != null && actor.role() == Actor.Role.PATIENT) {
            if (!actor.is(patient)) {
                throw new TransactionRejectedException(PaymentError.PATIENT_FORBIDDEN);
            }
            return;
        }
        if (actor == null || !actor.worksAt(facility)) {
            throw new TransactionRejectedException(PaymentError.FACILITY_FORBIDDEN);
        }
    }

    private void requireDoctorOfFacilityOrAdmin(Actor actor) {
        if (actor == null || !(actor.role() == Actor.Role.ADMIN || actor.worksAt(facilityId))) {
            throw new TransactionRejectedException(PaymentError.FACILITY_FORBIDDEN);
        }
    }
}
