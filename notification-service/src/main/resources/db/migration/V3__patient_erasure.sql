-- Evidence of each erasure this service carried out: which patient, when it was asked for, how many
-- stored emails went. One row per PatientPersonalDataErased, so a redelivered one adds nothing.
CREATE TABLE patient_erasure (
    patient_id             uuid        NOT NULL,
    erased_at              timestamptz NOT NULL,
    mailbox_emails_deleted integer     NOT NULL,
    recorded_at            timestamptz NOT NULL,
    PRIMARY KEY (patient_id, erased_at)
);
