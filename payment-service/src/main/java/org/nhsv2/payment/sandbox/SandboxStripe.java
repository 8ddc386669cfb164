package org.nhsv2.payment.sandbox;

import org.nhsv2.payment.command.StripeCheckouts;
import org.nhsv2.payment.command.StripeFailure;
import org.nhsv2.payment.stripe.StripeMode;
import org.nhsv2.payment.stripe.StripeSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Stripe's part, played locally when no Stripe key is configured: sessions open on a page of this
 * service ({@link SandboxCheckoutPage}), and each outcome reaches the webhook as a signed event.
 * Idempotency keys behave as Stripe's: the same key gives the same session or refund. The sandbox never
 * fails, so it has no error to keep under a key as Stripe keeps a 5xx. A refund succeeds a moment after it is
 * made, through a signed {@code refund.updated}.
 */
@Component
@Conditional(StripeMode.Sandbox.class)
class SandboxStripe implements StripeCheckouts {

    private static final Logger log = LoggerFactory.getLogger(SandboxStripe.class);

    private final SandboxSessions sessions;
    private final SandboxWebhooks webhooks;
    private final StripeSettings settings;
    private final Clock clock;
    private final ExecutorService settling = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sandbox-refunds");
        thread.setDaemon(true);
        return thread;
    });

    SandboxStripe(SandboxSessions sessions, SandboxWebhooks webhooks, StripeSettings settings, Clock clock) {
        this.sessions = sessions;
        this.webhooks = webhooks;
        this.settings = settings;
        this.clock = clock;
        log.warn("STRIPE SANDBOX: no Stripe secret key is set, so checkouts open on this service's own sandbox page "
                + "({}/sandbox/checkout/...) and no money moves. Set STRIPE_SECRET_KEY to use Stripe.",
                settings.publicBaseUrl());
    }

    @Override
    public OpenedSession openSession(SessionRequest request) {
        long total = request.items().stream().mapToLong(item -> item.amount()).sum();
        SandboxSessions.Session session = sessions.open(request.idempotencyKey(), new SandboxSessions.Session(
                SandboxIds.next("cs"), request.transactionId(), request.currency(), total, request.items(), "open",
                "unpaid", SandboxIds.next("pi"), request.expiresAt()));
        return new OpenedSession(session.sessionId(), pageOf(session.sessionId()), session.expiresAt());
    }

    /** As Stripe tells it: an open session past its expiry reads expired. */
    @Override
    public SessionState sessionState(String sessionId) throws StripeFailure {
        SandboxSessions.Session session = sessions.find(sessionId)
                .orElseThrow(() -> new StripeFailure("No such sandbox session " + sessionId, false, null));
        String status = session.isOpen() && !clock.instant().isBefore(session.expiresAt()) ? "expired" : session.status();
        return new SessionState(sessionId, status, session.paymentStatus(), session.paymentIntentId(), session.amountTotal(),
                session.currency());
    }

    @Override
    public SubmittedRefund refund(RefundRequest request) {
        SandboxSessions.Refund refund = sessions.refund(request.idempotencyKey(), new SandboxSessions.Refund(
                SandboxIds.next("re"), request.transactionId(), request.refundId(), request.paymentIntentId(),
                request.amount(), "pending", true));
        if (refund.created()) {
            afterCommit(() -> settling.execute(() -> settle(refund)));
        }
        return new SubmittedRefund(refund.refundId(), refund.status());
    }

    /** As Stripe tells it, for reconciliation: the sandbox's own record, whether or not its webhook got through. */
    @Override
    public RefundState refundState(String stripeRefundId) throws StripeFailure {
        SandboxSessions.Refund refund = sessions.findRefund(stripeRefundId)
                .orElseThrow(() -> new StripeFailure("No such sandbox refund " + stripeRefundId, false, null));
        return new RefundState(refund.refundId(), refund.status(), refund.amount(), null, refund.paymentIntentId());
    }

    @Override
    public Optional<RefundState> findRefund(String paymentIntentId, UUID refundId) {
        return sessions.findRefundOf(paymentIntentId, refundId).map(refund -> new RefundState(refund.refundId(),
                refund.status(), refund.amount(), null, refund.paymentIntentId()));
    }

    @Override
    public Optional<UUID> transactionOfPaymentIntent(String paymentIntentId) {
        return sessions.transactionOfPaymentIntent(paymentIntentId);
    }

    String pageOf(String sessionId) {
        return settings.publicBaseUrl() + SandboxCheckoutPage.PATH + "/" + sessionId;
    }

    private void settle(SandboxSessions.Refund refund) {
        sessions.refundSettled(refund.refundId(), "succeeded");
        webhooks.deliver("refund.updated", SandboxObjects.refund(refund, "succeeded"));
    }

    /** After the refund's transaction commits, as Stripe would only answer once it holds the refund. */
    private static void afterCommit(Runnable action) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    action.run();
                }
            });
        } else {
            action.run();
        }
    }
}
