-- When the latest email about an appointment went out, or why it did not (the acknowledgement
-- notification-service sends back); both null until the first answer.
ALTER TABLE appointment_view ADD COLUMN email_delivered_at timestamptz;
ALTER TABLE appointment_view ADD COLUMN email_failure text;

-- A doctor's calendar feed reads their appointments by start.
CREATE INDEX appointment_view_doctor_start_idx ON appointment_view (doctor_id, start_at);
