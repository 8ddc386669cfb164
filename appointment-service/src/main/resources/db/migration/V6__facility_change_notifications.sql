-- Every instance keeps the facilities and their doctors in memory (FacilityDirectory) and LISTENs on
-- facility_changed: any statement that changes either table, from the service or from an operator's
-- psql, tells them all once it commits, and each drops its copy.
CREATE FUNCTION notify_facility_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('facility_changed', TG_TABLE_NAME);
    RETURN NULL;
END
$$;

CREATE TRIGGER facility_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON facility
    FOR EACH STATEMENT EXECUTE FUNCTION notify_facility_changed();
CREATE TRIGGER facility_doctor_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON facility_doctor
    FOR EACH STATEMENT EXECUTE FUNCTION notify_facility_changed();
