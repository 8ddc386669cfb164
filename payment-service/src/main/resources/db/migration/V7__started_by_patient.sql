-- Whether the patient started the checkout themselves (their token's role), which bounds how many of theirs may wait
-- to be paid at once (open, or initiated within a checkout's lifetime); false for the rows from before it was kept.
ALTER TABLE transaction_view ADD COLUMN started_by_patient boolean NOT NULL DEFAULT false;
CREATE INDEX transaction_view_waiting_own_idx ON transaction_view (patient_id)
    WHERE started_by_patient AND status IN ('INITIATED', 'OPEN');
