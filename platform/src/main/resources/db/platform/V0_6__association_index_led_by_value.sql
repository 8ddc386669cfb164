-- Axon's saga store reads association_value_entry two ways: a saga's associations by saga id
-- (association_value_entry_saga_idx) and the sagas of an association by key, value and type. The
-- index for the second began with saga_type, which every row of a service shares. A pooled
-- connection keeps the plan it made while the table was empty, and before the table's first ANALYZE
-- (or ever, on a server with autovacuum off) that plan used this index for the first lookup as well:
-- each saga load read every row of the type (45 ms at 50,000 rows). Led by the value, it fits only
-- the lookup it is for. (SagaAssociationsIT)
DROP INDEX IF EXISTS association_value_entry_association_idx;
CREATE INDEX IF NOT EXISTS association_value_entry_association_idx
    ON association_value_entry USING btree (association_value, association_key, saga_type);
