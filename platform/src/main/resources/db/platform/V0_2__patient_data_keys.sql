-- Patient data keys, wrapped with the master key from the environment (envelope encryption), in 32
-- hash partitions: after an erasure only the partition that held the destroyed key is rewritten
-- (VACUUM FULL, a few milliseconds), so the key leaves the live database files without locking every
-- patient's key for the length of a whole-table rewrite. Idempotent, and it converts a key table of
-- the first, unwrapped shape (its keys then read "none" and are wrapped at the service's start).

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM information_schema.columns
               WHERE table_schema = current_schema() AND table_name = 'patient_data_key' AND column_name = 'data_key') THEN
        ALTER TABLE patient_data_key RENAME TO patient_data_key_unwrapped;
    END IF;
END $$;

CREATE TABLE IF NOT EXISTS patient_data_key (
    patient_id    uuid        NOT NULL PRIMARY KEY,
    key_id        uuid        NOT NULL,
    -- IV, AES-GCM ciphertext of the 32-byte key, tag; or the bare key while master_key_id = 'none'
    wrapped_key   bytea       NOT NULL,
    master_key_id text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
) PARTITION BY HASH (patient_id);

DO $$
BEGIN
    FOR remainder IN 0..31 LOOP
        EXECUTE format('CREATE TABLE IF NOT EXISTS patient_data_key_p%s PARTITION OF patient_data_key '
                       'FOR VALUES WITH (MODULUS 32, REMAINDER %s)', lpad(remainder::text, 2, '0'), remainder);
    END LOOP;
    IF to_regclass('patient_data_key_unwrapped') IS NOT NULL THEN
        INSERT INTO patient_data_key (patient_id, key_id, wrapped_key, master_key_id, created_at)
        SELECT patient_id, key_id, data_key, 'none', created_at FROM patient_data_key_unwrapped;
        -- Dropping the table removes its file, dead tuples of earlier erasures included.
        DROP TABLE patient_data_key_unwrapped;
    END IF;
END $$;

-- Partitions that held a destroyed (or re-wrapped) key, until the service has rewritten them. The
-- transaction id tells when no snapshot can still see the old row, so that the rewrite drops it.
CREATE TABLE IF NOT EXISTS data_key_shred_request (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partition_name text        NOT NULL,
    requested_xid  xid8        NOT NULL DEFAULT pg_current_xact_id(),
    requested_at   timestamptz NOT NULL DEFAULT now()
);
