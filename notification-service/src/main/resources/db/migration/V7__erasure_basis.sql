-- Why the patient was erased, as the erasing service recorded it (an ErasureBasis by name, and the operator's own
-- reference); null for erasures announced without them.
ALTER TABLE patient_erasure ADD COLUMN basis text;
ALTER TABLE patient_erasure ADD COLUMN reference text;
