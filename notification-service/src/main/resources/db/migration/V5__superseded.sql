-- The requester's revision of what the email describes (EmailRequested.revision; NULL when it names none): a
-- request is not sent once an email of the same requester and correlation with a higher revision went out, or may
-- have (delivered, or sent with its answer lost). It is then answered SUPERSEDED, naming that email, and nothing is
-- sent.
ALTER TABLE handled_request ADD COLUMN revision integer CHECK (revision >= 0);
ALTER TABLE handled_request ADD COLUMN superseded_by uuid;
ALTER TABLE handled_request DROP CONSTRAINT handled_request_outcome_check;
ALTER TABLE handled_request ADD CONSTRAINT handled_request_outcome_check
    CHECK (outcome IN ('DELIVERED', 'FAILED', 'SUPERSEDED'));
ALTER TABLE handled_request ADD CHECK (outcome IS DISTINCT FROM 'SUPERSEDED' OR superseded_by IS NOT NULL);
-- The newest email sent about one correlation, found with one probe while a request is handled
CREATE INDEX handled_request_sent_revision ON handled_request (correlation_id, requester, revision)
    WHERE revision IS NOT NULL AND (outcome = 'DELIVERED' OR answers_lost > 0);
