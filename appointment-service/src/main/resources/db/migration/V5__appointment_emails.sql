-- When the latest email about an appointment went out, or why it did not (the acknowledgement
-- notification-service sends back); both null until the first answer.
ALTER TABLE appointment_view ADD COLUMN email_delivered_at timestamptz;
ALTER TABLE appointment_view ADD COLUMN email_failure text;
