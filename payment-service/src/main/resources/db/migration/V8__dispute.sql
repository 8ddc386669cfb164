-- The disputes of a transaction's payments (chargebacks, and the inquiries before them), as Stripe tells them: the
-- amount, Stripe's reason (no personal data), and where each stands (INQUIRY, OPEN, WON, LOST).
CREATE TABLE transaction_dispute (
    dispute_id        text PRIMARY KEY,
    transaction_id    uuid        NOT NULL REFERENCES transaction_view (transaction_id) ON DELETE CASCADE,
    payment_intent_id text,
    amount            bigint      NOT NULL,
    reason            text,
    status            text        NOT NULL,
    opened_at         timestamptz NOT NULL
);

CREATE INDEX transaction_dispute_transaction_idx ON transaction_dispute (transaction_id, opened_at);
