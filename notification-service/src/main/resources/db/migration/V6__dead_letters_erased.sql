-- How many email requests naming the patient an erasure deleted from the dead letters
-- (notification.email-requests.dead-letters), where they held the address, name and content for an operator.
ALTER TABLE patient_erasure ADD COLUMN dead_letters_deleted integer NOT NULL DEFAULT 0;
