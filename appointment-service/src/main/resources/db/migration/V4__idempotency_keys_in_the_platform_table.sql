-- Idempotency-Keys moved to the platform's idempotency_key table (db/platform). A database made
-- before that holds booking_request: keyed fingerprints (with the patient each key is about) are
-- copied over; older rows hold an unkeyed SHA-256 of the request that the keyed fingerprint can never
-- match, and are dropped (a retry of such a request meets its own slot claim instead: 409).
DO $$
BEGIN
    IF to_regclass('booking_request') IS NOT NULL THEN
        IF EXISTS (SELECT 1 FROM information_schema.columns
                   WHERE table_schema = current_schema() AND table_name = 'booking_request' AND column_name = 'patient_id') THEN
            INSERT INTO idempotency_key (caller_id, idempotency_key, request_fingerprint, result_id, patient_id, created_at)
            SELECT caller_id, idempotency_key, request_fingerprint, appointment_id, patient_id, created_at
            FROM booking_request
            ON CONFLICT DO NOTHING;
        END IF;
        DROP TABLE booking_request;
    END IF;
END $$;
