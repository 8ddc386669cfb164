package org.nhsv2.payment.command;

/**
 * Stripe did not do what was asked. {@code outcomeUnknown} when it may have done it all the same (the
 * connection failed or Stripe answered 5xx): a retry must then repeat the same request, with the same
 * idempotency key, so as not to do it twice.
 */
public class StripeFailure extends Exception {

    private final boolean outcomeUnknown;

    public StripeFailure(String reason, boolean outcomeUnknown, Throwable cause) {
        super(reason, cause);
        this.outcomeUnknown = outcomeUnknown;
    }

    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
}
