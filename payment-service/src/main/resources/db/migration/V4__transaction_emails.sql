-- The emails of a transaction that notification-service answered for, kept by the transaction-view
-- processor. A failure's reason may name the recipient: it stays sealed with the patient's key.
CREATE TABLE transaction_email (
    request_id          uuid PRIMARY KEY,
    transaction_id      uuid        NOT NULL REFERENCES transaction_view (transaction_id) ON DELETE CASCADE,
    template            text        NOT NULL,
    status              text        NOT NULL,
    provider_message_id text,
    delivered_at        timestamptz,
    failure             text,
    permanent_failure   boolean     NOT NULL DEFAULT false,
    answered_at         timestamptz NOT NULL
);

CREATE INDEX transaction_email_transaction_idx ON transaction_email (transaction_id, answered_at);
