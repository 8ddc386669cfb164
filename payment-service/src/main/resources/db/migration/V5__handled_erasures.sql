-- Erasure messages (PatientPersonalDataErased) this service has acted on, by message id, written in
-- the erasure's own transaction: a redelivered message erases nothing more, and never a data key the
-- patient was given after the erasure.
CREATE TABLE handled_erasure (
    message_id text        PRIMARY KEY,
    patient_id uuid        NOT NULL,
    handled_at timestamptz NOT NULL DEFAULT now()
);
