-- Idempotency-Keys per caller, with a keyed fingerprint (HMAC) of the request and the id of what it
-- created; each names the patient it is about, so that an erasure can delete it.
CREATE TABLE IF NOT EXISTS idempotency_key (
    caller_id           uuid        NOT NULL,
    idempotency_key     text        NOT NULL,
    request_fingerprint text        NOT NULL,
    result_id           uuid        NOT NULL,
    patient_id          uuid,
    created_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (caller_id, idempotency_key)
);
CREATE INDEX IF NOT EXISTS idempotency_key_patient_idx ON idempotency_key (patient_id);
CREATE INDEX IF NOT EXISTS idempotency_key_created_idx ON idempotency_key (created_at);
