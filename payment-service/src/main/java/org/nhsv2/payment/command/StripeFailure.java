package org.nhsv2.payment.command;

/**
 * Stripe did not do what was asked. {@code outcomeUnknown} when it may have done it all the same (no
 * answer, a request under the same key still in flight, an error of Stripe's own): a retry must then not
 * blindly do it a second time. {@code keySpent} when Stripe answered with an error it keeps under the
 * request's idempotency key (a 5xx; Stripe replays it to the same key for 24 hours): repeating the key only
 * gets that answer again, so a retry first finds out what was made, then asks under a new key. Otherwise,
 * with the outcome unknown, a retry repeats the same request under the same key.
 */
public class StripeFailure extends Exception {

    private final boolean outcomeUnknown;
    private final boolean keySpent;

    public StripeFailure(String reason, boolean outcomeUnknown, Throwable cause) {
        this(reason, outcomeUnknown, false, cause);
    }

    private StripeFailure(String reason, boolean outcomeUnknown, boolean keySpent, Throwable cause) {
        super(reason, cause);
        this.outcomeUnknown = outcomeUnknown;
        this.keySpent = keySpent;
    }

    /** Stripe answered with an error it keeps under the key; whether it did what was asked is not known. */
    public static StripeFailure keySpent(String reason, Throwable cause) {
        return new StripeFailure(reason, true, true, cause);
    }

    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }

    public boolean keySpent() {
        return keySpent;
    }
}
