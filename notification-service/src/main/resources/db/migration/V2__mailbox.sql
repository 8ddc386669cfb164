-- Emails kept instead of sent while no SendGrid key is configured (local runs, tests), written in the
-- transaction that handles the request. Personal data: deleted when the patient is erased.
CREATE TABLE mailbox (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- One email per request, whatever happens to the messages
    request_id  uuid        NOT NULL UNIQUE REFERENCES handled_request (request_id),
    patient_id  uuid,
    recipient   text        NOT NULL,
    subject     text        NOT NULL,
    text_body   text        NOT NULL,
    html_body   text        NOT NULL,
    -- [{"fileName", "contentType", "content" (Base64)}]
    attachments jsonb       NOT NULL DEFAULT '[]',
    stored_at   timestamptz NOT NULL
);

-- Addresses compare case-insensitively (GET /api/mailbox?recipient=...), newest first
CREATE INDEX mailbox_recipient ON mailbox (lower(recipient), stored_at DESC, id DESC);
CREATE INDEX mailbox_patient ON mailbox (patient_id);
