package org.nhsv2.payment.api;

import org.nhsv2.platform.api.ErrorCode;
import org.nhsv2.platform.api.Rejection.Kind;

/**
 * Every business rejection of the payment service, with the stable code clients see as the problem
 * type. The kind decides the HTTP status at the edge; the command side knows nothing of HTTP.
 */
public enum PaymentError implements ErrorCode {
    TRANSACTION_NOT_FOUND("transaction-not-found", Kind.NOT_FOUND, "No such transaction"),
    PRODUCT_NOT_FOUND("product-not-found", Kind.NOT_FOUND, "No such product"),
    FACILITY_FORBIDDEN("facility-forbidden", Kind.FORBIDDEN, "You are not a member of that facility"),
    PATIENT_FORBIDDEN("patient-forbidden", Kind.FORBIDDEN, "A patient may pay only for themselves"),
    EMAIL_NOT_VERIFIED("email-not-verified", Kind.FORBIDDEN, "Your account's email address is not verified"),
    ACCOUNT_DETAILS_UNUSABLE("account-details-unusable", Kind.RULE_VIOLATION,
            "Your account's name or email address cannot be used for a payment"),
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", Kind.CONFLICT, "The Idempotency-Key was already used with a different request"),
    DUPLICATE_REQUEST("duplicate-request", Kind.CONFLICT, "The request was already processed"),
    TOO_MANY_OPEN_CHECKOUTS("too-many-open-checkouts", Kind.CONFLICT,
            "Too many of your payments are waiting: pay one, or wait until one expires (unpaid, after 31 minutes)"),
    NOT_OPENABLE("checkout-not-openable", Kind.CONFLICT,
            "The transaction is past its checkout: paid, failed, expired, or not opened within its lifetime"),
    NOT_REFUNDABLE("transaction-not-refundable", Kind.CONFLICT, "Only a paid transaction can be refunded"),
    PAYMENT_DISPUTED("payment-disputed", Kind.CONFLICT,
            "The payer's bank has charged the payment back: Stripe takes no refund of it until the dispute is closed"),
    UNKNOWN_PRODUCT("unknown-product", Kind.RULE_VIOLATION, "No such product in the catalogue"),
    INACTIVE_PRODUCT("inactive-product", Kind.RULE_VIOLATION, "The product is no longer sold"),
    MIXED_CURRENCIES("mixed-currencies", Kind.RULE_VIOLATION, "All items of a transaction must be in one currency"),
    INVALID_QUANTITY("invalid-quantity", Kind.RULE_VIOLATION, "Each quantity must be between 1 and 100"),
    NO_ITEMS("no-items", Kind.RULE_VIOLATION, "A transaction needs at least one item"),
    TOTAL_TOO_LARGE("total-too-large", Kind.RULE_VIOLATION,
            "A transaction's total must be at most 99,999,999 minor units, what Stripe takes in one payment"),
    REFUND_EXCEEDS_REMAINDER("refund-exceeds-remainder", Kind.RULE_VIOLATION,
            "The refund is more than what is left to refund (pending refunds count as taken)"),
    INVALID_REFUND_AMOUNT("invalid-refund-amount", Kind.RULE_VIOLATION, "A refund must be at least 1 minor unit"),
    REFUND_REASON_REQUIRED("refund-reason-required", Kind.RULE_VIOLATION, "A refund needs a reason"),
    TOO_MANY_REFUNDS("too-many-refunds", Kind.RULE_VIOLATION,
            "A transaction takes at most 50 refunds (failed ones count); refund more at Stripe directly"),
    UNKNOWN_REFUND("unknown-refund", Kind.NOT_FOUND, "No such refund of this transaction"),
    UNKNOWN_EMAIL_REQUEST("unknown-email-request", Kind.NOT_FOUND, "No email of this transaction was requested under that id"),
    PAYMENT_PROVIDER_FAILED("payment-provider-failed", Kind.DEPENDENCY_FAILED, "Stripe did not do what was asked");

    public static final int MAX_QUANTITY = 100;
    /** A patient's own checkouts that may wait to be paid at once (each expires after 31 minutes unpaid). */
    public static final int MAX_OPEN_CHECKOUTS = 10;
    public static final int MAX_ITEMS = 20;
    public static final int MAX_REASON_LENGTH = 500;
    /**
     * Each refund stays in the transaction, its history and its view, and reconciliation goes through them all: a
     * bound keeps a mistaken or abusive run of tiny refunds from growing them without end.
     */
    public static final int MAX_REFUNDS = 50;
    /** Stripe takes at most eight digits of minor units in one payment (999,999.99 in GBP, EUR or USD). */
    public static final long MAX_TOTAL = 99_999_999L;

    private final Definition definition;

    PaymentError(String code, Kind kind, String title) {
        this.definition = new Definition(code, kind, title);
    }

    @Override
    public Definition definition() {
        return definition;
    }
}
