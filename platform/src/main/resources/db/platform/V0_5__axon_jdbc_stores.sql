-- Axon's JDBC stores leave two keys to the database: an event's global index and an association's id.
-- They come from the sequences the JPA stores drew them from before, one number at a time (the
-- association sequence's blocks of 50 were Hibernate's, which no longer runs). Idempotent.

ALTER TABLE domain_event_entry ALTER COLUMN global_index SET DEFAULT nextval('domain_event_entry_global_index_seq');
ALTER SEQUENCE domain_event_entry_global_index_seq OWNED BY domain_event_entry.global_index;

ALTER SEQUENCE association_value_entry_seq INCREMENT BY 1;
ALTER TABLE association_value_entry ALTER COLUMN id SET DEFAULT nextval('association_value_entry_seq');
ALTER SEQUENCE association_value_entry_seq OWNED BY association_value_entry.id;
