-- The dispute of a transaction's payment (a chargeback), as Stripe tells it: its id, the amount, Stripe's reason (no
-- personal data) and where it stands (OPEN, WON, LOST).
ALTER TABLE transaction_view ADD COLUMN dispute_id text;
ALTER TABLE transaction_view ADD COLUMN dispute_amount bigint;
ALTER TABLE transaction_view ADD COLUMN dispute_reason text;
ALTER TABLE transaction_view ADD COLUMN dispute_status text;
