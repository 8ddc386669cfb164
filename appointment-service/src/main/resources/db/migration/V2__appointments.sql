-- btree_gist lets one exclusion constraint combine equality on a uuid with overlap of a range.
-- It ships with PostgreSQL and is a trusted extension, so the database owner may create it.
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- Facilities and their doctors mirror the identity provider's facility groups (infra/keycloak).
CREATE TABLE facility (
    id        uuid PRIMARY KEY,
    name      text NOT NULL,
    time_zone text NOT NULL,
    address   text NOT NULL
);

CREATE TABLE facility_doctor (
    facility_id uuid NOT NULL REFERENCES facility (id),
    doctor_id   uuid NOT NULL,
    PRIMARY KEY (facility_id, doctor_id)
);

INSERT INTO facility (id, name, time_zone, address) VALUES
    ('11111111-1111-4111-8111-111111111111', 'Riverside Health Centre', 'Europe/London', '1 River Walk, London SE1 0ZZ'),
    ('22222222-2222-4222-8222-222222222222', 'Northgate Medical Practice', 'Europe/London', '22 North Road, Manchester M1 0ZZ');

INSERT INTO facility_doctor (facility_id, doctor_id) VALUES
    ('11111111-1111-4111-8111-111111111111', 'd0000000-0000-4000-8000-000000000001'),
    ('11111111-1111-4111-8111-111111111111', 'd0000000-0000-4000-8000-000000000003'),
    ('22222222-2222-4222-8222-222222222222', 'd0000000-0000-4000-8000-000000000002');

-- Command side: the time each live appointment holds. Written in the booking command's own
-- transaction; the exclusion constraints make a double booking impossible whatever the concurrency.
CREATE TABLE slot_claim (
    appointment_id uuid PRIMARY KEY,
    doctor_id      uuid      NOT NULL,
    patient_id     uuid      NOT NULL,
    period         tstzrange NOT NULL CHECK (NOT isempty(period) AND lower_inc(period) AND NOT upper_inc(period)),
    CONSTRAINT slot_claim_doctor_no_overlap EXCLUDE USING gist (doctor_id WITH =, period WITH &&),
    CONSTRAINT slot_claim_patient_no_overlap EXCLUDE USING gist (patient_id WITH =, period WITH &&)
);

-- Query side. Personal fields stay sealed here too and are opened only when read.
CREATE TABLE appointment_view (
    appointment_id      uuid PRIMARY KEY,
    facility_id         uuid        NOT NULL,
    doctor_id           uuid        NOT NULL,
    patient_id          uuid        NOT NULL,
    patient_name        text        NOT NULL,
    patient_email       text        NOT NULL,
    start_at            timestamptz NOT NULL,
    end_at              timestamptz NOT NULL,
    duration_minutes    integer     NOT NULL,
    reason              text,
    status              text        NOT NULL,
    cancellation_reason text,
    version             bigint      NOT NULL
);

CREATE INDEX appointment_view_facility_start_idx ON appointment_view (facility_id, start_at);
CREATE INDEX appointment_view_patient_start_idx ON appointment_view (patient_id, start_at);
