-- The checkouts a patient started themselves within a checkout's lifetime, written with the checkout's first event in
-- its own transaction (command side). The read side learns of a checkout only after that commits; counting these too,
-- under the patient's lock, holds requests sent together to the cap on waiting checkouts as exactly as requests sent
-- one after another. Rows past the lifetime are purged by a recurring task.
CREATE TABLE own_checkout_start (
    transaction_id uuid PRIMARY KEY,
    patient_id     uuid        NOT NULL,
    started_at     timestamptz NOT NULL
);

CREATE INDEX own_checkout_start_patient_idx ON own_checkout_start (patient_id, started_at);
CREATE INDEX own_checkout_start_started_idx ON own_checkout_start (started_at);
