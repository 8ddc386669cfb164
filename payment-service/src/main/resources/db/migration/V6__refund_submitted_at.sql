-- When Stripe took each refund: one it took as pending and that no webhook settled a while later is asked
-- about by the reconciliation sweep (its webhooks may have been lost).
ALTER TABLE transaction_refund ADD COLUMN submitted_at timestamptz;

-- Refunds taken before this column: from their request, the closest time the view has.
UPDATE transaction_refund SET submitted_at = requested_at WHERE status = 'SUBMITTED';

CREATE INDEX transaction_refund_pending_idx ON transaction_refund (submitted_at) WHERE status = 'SUBMITTED';
