-- Every email request this service handled, by its id: what makes sending exactly-once. A request is
-- handled in one transaction that inserts (or locks) its row, sends, and stores the outcome; a
-- redelivered request finds the outcome here and is answered again without a second email.
-- No address, name or content: those live only in the mailbox, which an erasure empties.
CREATE TABLE handled_request (
    request_id          uuid        PRIMARY KEY,
    correlation_id      uuid        NOT NULL,
    patient_id          uuid,
    template            text        NOT NULL,
    -- The appId of the service that asked, which the answer goes back to
    requester           text        NOT NULL,
    -- NULL only inside the handling transaction: the row commits together with its outcome
    outcome             text        CHECK (outcome IN ('DELIVERED', 'FAILED')),
    provider_message_id text,
    delivered_at        timestamptz,
    -- Only permanent failures are stored: a transient one rolls the whole handling back for a retry
    failure_reason      text,
    handled_at          timestamptz,
    CHECK (outcome IS DISTINCT FROM 'DELIVERED' OR delivered_at IS NOT NULL),
    CHECK (outcome IS DISTINCT FROM 'FAILED' OR failure_reason IS NOT NULL)
);
