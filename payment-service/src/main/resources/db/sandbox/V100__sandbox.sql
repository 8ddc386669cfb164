-- The local sandbox's stand-in for what Stripe keeps: only in the local profile's schema
-- (spring.flyway.locations in application-local.yml), never in a database that takes real payments.
CREATE TABLE sandbox_checkout_session (
    session_id        text PRIMARY KEY,
    idempotency_key   text        NOT NULL UNIQUE,
    transaction_id    uuid        NOT NULL,
    currency          text        NOT NULL,
    amount_total      bigint      NOT NULL,
    line_items        jsonb       NOT NULL,
    status            text        NOT NULL,
    payment_status    text        NOT NULL,
    payment_intent_id text        NOT NULL,
    expires_at        timestamptz NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sandbox_refund (
    refund_id         text PRIMARY KEY,
    idempotency_key   text        NOT NULL UNIQUE,
    transaction_id    uuid        NOT NULL,
    own_refund_id     uuid        NOT NULL,
    payment_intent_id text        NOT NULL,
    amount            bigint      NOT NULL,
    status            text        NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now()
);
