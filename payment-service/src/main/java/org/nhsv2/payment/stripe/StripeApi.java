package org.nhsv2.payment.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.model.checkout.Session;
import com.stripe.net.RequestOptions;
import com.stripe.param.RefundCreateParams;
import com.stripe.param.RefundListParams;
import com.stripe.param.checkout.SessionCreateParams;
import org.nhsv2.payment.api.LineItem;
import org.nhsv2.payment.command.StripeCheckouts;
import org.nhsv2.payment.command.StripeFailure;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The real Stripe, through stripe-java. Every create carries the caller's idempotency key, which
 * stripe-java also reuses on its own network retries. A failure whose outcome Stripe did not tell (no
 * answer, a conflicting request still in flight, rate limited) says so, so that the transaction
 * repeats the same request rather than make a second one. Stripe's own 5xx error is an answer: Stripe keeps it
 * under the key for 24 hours and replays it to every repeat, so the key is spent (see {@link #keptUnderTheKey}).
 */
class StripeApi implements StripeCheckouts {

    static final String TRANSACTION_ID = "transaction_id";
    static final String REFUND_ID = "refund_id";

    private final StripeClient client;
    private final StripeSettings settings;

    StripeApi(StripeSettings settings) {
        this.settings = settings;
        this.client = StripeClient.builder()
                .setApiKey(settings.secretKey())
                .setApiBase(settings.apiBase().toString().replaceFirst("/$", ""))
                .setConnectTimeout(Math.toIntExact(settings.connectTimeout().toMillis()))
                .setReadTimeout(Math.toIntExact(settings.readTimeout().toMillis()))
                .setMaxNetworkRetries(settings.maxNetworkRetries())
                .build();
    }

    @Override
    public OpenedSession openSession(SessionRequest request) throws StripeFailure {
        String transactionId = request.transactionId().toString();
        SessionCreateParams.Builder params = SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT)
                .setClientReferenceId(transactionId)
                .putMetadata(TRANSACTION_ID, transactionId)
                .setPaymentIntentData(SessionCreateParams.PaymentIntentData.builder()
                        .putMetadata(TRANSACTION_ID, transactionId).build())
                .setExpiresAt(request.expiresAt().getEpochSecond())
                .setSuccessUrl(settings.successPage())
                .setCancelUrl(settings.cancelPage());
        if (request.customerEmail() != null) {
            params.setCustomerEmail(request.customerEmail());
        }
        String currency = request.currency().toLowerCase(Locale.ROOT);
        for (LineItem item : request.items()) {
            params.addLineItem(SessionCreateParams.LineItem.builder()
                    .setQuantity((long) item.quantity())
                    .setPriceData(SessionCreateParams.LineItem.PriceData.builder()
                            .setCurrency(currency)
                            .setUnitAmount(item.unitAmount())
                            .setProductData(SessionCreateParams.LineItem.PriceData.ProductData.builder()
                                    .setName(item.name()).build())
                            .build())
                    .build());
        }
        try {
            Session session = client.v1().checkout().sessions().create(params.build(), idempotent(request.idempotencyKey()));
            return new OpenedSession(session.getId(), session.getUrl(), Instant.ofEpochSecond(session.getExpiresAt()));
        } catch (StripeException e) {
            if (keyFirstUsedWithOtherParameters(e) || keptUnderTheKey(e)) {
                // A session Stripe made all the same was never shown to anyone, and expires by itself.
                throw refusal("creating the Checkout Session", e);
            }
            throw failure("creating the Checkout Session", e);
        } catch (RuntimeException e) {
            throw unreadable("creating the Checkout Session", e);
        }
    }

    @Override
    public SessionState sessionState(String sessionId) throws StripeFailure {
        try {
            Session session = client.v1().checkout().sessions().retrieve(sessionId);
            return new SessionState(session.getId(), session.getStatus(), session.getPaymentStatus(),
                    session.getPaymentIntent(), session.getAmountTotal() == null ? 0 : session.getAmountTotal(),
                    session.getCurrency());
        } catch (StripeException e) {
            throw failure("reading the Checkout Session", e);
        } catch (RuntimeException e) {
            throw unreadable("reading the Checkout Session", e);
        }
    }

    @Override
    public SubmittedRefund refund(RefundRequest request) throws StripeFailure {
        RefundCreateParams params = RefundCreateParams.builder()
                .setPaymentIntent(request.paymentIntentId())
                .setAmount(request.amount())
                .setReason(RefundCreateParams.Reason.REQUESTED_BY_CUSTOMER)
                .putMetadata(TRANSACTION_ID, request.transactionId().toString())
                .putMetadata(REFUND_ID, request.refundId().toString())
                .build();
        try {
            Refund refund = client.v1().refunds().create(params, idempotent(request.idempotencyKey()));
            return new SubmittedRefund(refund.getId(), refund.getStatus());
        } catch (StripeException e) {
            if (keyFirstUsedWithOtherParameters(e) || keptUnderTheKey(e)) {
                throw StripeFailure.keySpent(reason("creating the refund", e), e);
            }
            throw failure("creating the refund", e);
        } catch (RuntimeException e) {
            throw unreadable("creating the refund", e);
        }
    }

    @Override
    public RefundState refundState(String stripeRefundId) throws StripeFailure {
        try {
            return state(client.v1().refunds().retrieve(stripeRefundId));
        } catch (StripeException e) {
            throw failure("reading the refund", e);
        } catch (RuntimeException e) {
            throw unreadable("reading the refund", e);
        }
    }

    @Override
    public Optional<RefundState> findRefund(String paymentIntentId, UUID refundId) throws StripeFailure {
        RefundListParams params = RefundListParams.builder().setPaymentIntent(paymentIntentId).setLimit(100L).build();
        try {
            for (Refund refund : client.v1().refunds().list(params).autoPagingIterable()) {
                if (refund.getMetadata() != null && refundId.toString().equals(refund.getMetadata().get(REFUND_ID))) {
                    return Optional.of(state(refund));
                }
            }
            return Optional.empty();
        } catch (StripeException e) {
            throw failure("listing the payment's refunds", e);
        } catch (RuntimeException e) {
            // stripe-java pages on inside the loop, and wraps a failure of a later page unchecked
            throw unreadable("listing the payment's refunds", e);
        }
    }

    private static RefundState state(Refund refund) {
        return new RefundState(refund.getId(), refund.getStatus(), refund.getAmount() == null ? 0 : refund.getAmount(),
                refund.getFailureReason(), refund.getPaymentIntent());
    }

    @Override
    public Optional<UUID> transactionOfPaymentIntent(String paymentIntentId) throws StripeFailure {
        try {
            PaymentIntent intent = client.v1().paymentIntents().retrieve(paymentIntentId);
            String transaction = intent.getMetadata() == null ? null : intent.getMetadata().get(TRANSACTION_ID);
            return transaction == null ? Optional.empty() : Optional.of(UUID.fromString(transaction));
        } catch (InvalidRequestException e) {
            if (Integer.valueOf(404).equals(e.getStatusCode())) {
                return Optional.empty(); // another account's, or made up
            }
            throw failure("reading the payment intent", e);
        } catch (StripeException e) {
            throw failure("reading the payment intent", e);
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // metadata of the same name that is not a transaction id: not ours
        } catch (RuntimeException e) {
            throw unreadable("reading the payment intent", e);
        }
    }

    private static RequestOptions idempotent(String key) {
        return RequestOptions.builder().setIdempotencyKey(key).build();
    }

    /** stripe-java's own failure to read an answer (an error with an empty body): Stripe may have done it. */
    static StripeFailure unreadable(String doing, RuntimeException e) {
        return new StripeFailure("Stripe failed " + doing + " (unreadable answer)", true, e);
    }

    /**
     * Stripe's 400 {@code idempotency_error}: the key was first used with other parameters. For a Checkout Session
     * that is an earlier try of the same attempt, made with another expiry, whose answer was lost before it was stored
     * (the service killed, the commit lost, a deadlock retried). Stripe keeps refusing this key with these parameters
     * for as long as it keeps the key (24 hours), so only a new attempt, under a new key, opens a session. The
     * session made under the old key was never shown to anyone (its URL was never stored) and expires by itself.
     * Not so a 409 {@code idempotency_key_in_use}, a request under the same key still in flight: its outcome is
     * unknown, and it is tried again under the same key.
     */
    private static boolean keyFirstUsedWithOtherParameters(StripeException e) {
        return e instanceof IdempotencyException && Integer.valueOf(400).equals(e.getStatusCode());
    }

    /**
     * Stripe's own error answer (a 5xx carrying Stripe's error object, not a gateway's page): Stripe saves a request's
     * result once it began executing it, errors included, and answers every repeat of the key with it for 24 hours
     * (Stripe's "Idempotent requests"). Whether it did what was asked is not known; repeating the key cannot tell.
     */
    private static boolean keptUnderTheKey(StripeException e) {
        Integer status = statusOf(e);
        return status != null && status >= 500 && e.getStripeError() != null;
    }

    /** Stripe's final no to this request under this key: the transaction moves to a new attempt. */
    private static StripeFailure refusal(String doing, StripeException e) {
        return new StripeFailure(reason(doing, e), false, e);
    }

    static StripeFailure failure(String doing, StripeException e) {
        Integer status = statusOf(e);
        // 409: a request with the same key still in flight, a plain ApiException in stripe-java; an
        // IdempotencyException (400, the key first used with other parameters): Stripe may have made it all the same
        // (the creates tell it apart first, as a spent key); below 400: a success whose answer could not be read
        boolean outcomeUnknown = e instanceof ApiConnectionException || e instanceof IdempotencyException
                || e instanceof RateLimitException || status == null || status < 400 || status == 409 || status >= 500;
        return new StripeFailure(reason(doing, e), outcomeUnknown, e);
    }

    private static String reason(String doing, StripeException e) {
        Integer status = statusOf(e);
        return "Stripe failed " + doing + (status == null ? " (no answer)" : " (HTTP " + status + ")")
                + (e.getCode() == null ? "" : ": " + e.getCode());
    }

    /** stripe-java gives no answer the status 0. */
    private static Integer statusOf(StripeException e) {
        return e.getStatusCode() == null || e.getStatusCode() == 0 ? null : e.getStatusCode();
    }
}
