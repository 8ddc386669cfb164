-- Query side, kept by the transaction-view tracking processor. Personal and free-text fields stay
-- sealed with the patient's key and are opened only when read. Amounts in minor units.
CREATE TABLE transaction_view (
    transaction_id      uuid PRIMARY KEY,
    facility_id         uuid        NOT NULL,
    patient_id          uuid        NOT NULL,
    patient_name        text        NOT NULL,
    patient_email       text        NOT NULL,
    status              text        NOT NULL,
    currency            text        NOT NULL,
    total_amount        bigint      NOT NULL,
    checkout_session_id text,
    checkout_url        text,
    checkout_expires_at timestamptz,
    checkout_failure    text,
    payment_intent_id   text,
    appointment_id      uuid,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    version             bigint      NOT NULL
);

CREATE INDEX transaction_view_facility_idx ON transaction_view (facility_id, created_at DESC, transaction_id);
CREATE INDEX transaction_view_patient_idx ON transaction_view (patient_id, created_at DESC, transaction_id);
CREATE INDEX transaction_view_payment_intent_idx ON transaction_view (payment_intent_id);
-- The reconciliation sweep: checkouts still open past their expiry.
CREATE INDEX transaction_view_open_idx ON transaction_view (checkout_expires_at) WHERE status = 'OPEN';

-- The items as the transaction snapshotted them.
CREATE TABLE transaction_item (
    transaction_id uuid    NOT NULL REFERENCES transaction_view (transaction_id) ON DELETE CASCADE,
    line           integer NOT NULL,
    product_id     uuid    NOT NULL,
    name           text    NOT NULL,
    unit_amount    bigint  NOT NULL,
    quantity       integer NOT NULL,
    amount         bigint  NOT NULL,
    PRIMARY KEY (transaction_id, line)
);

-- Refunds asked for here (reason sealed) and refunds made at Stripe directly (no reason).
CREATE TABLE transaction_refund (
    refund_id        uuid PRIMARY KEY,
    transaction_id   uuid        NOT NULL REFERENCES transaction_view (transaction_id) ON DELETE CASCADE,
    amount           bigint      NOT NULL,
    status           text        NOT NULL,
    stripe_refund_id text,
    reason           text,
    failure          text,
    requested_at     timestamptz NOT NULL
);

CREATE INDEX transaction_refund_transaction_idx ON transaction_refund (transaction_id, requested_at);
CREATE INDEX transaction_refund_unsubmitted_idx ON transaction_refund (requested_at) WHERE status = 'REQUESTED';
