-- The clinic's catalogue: what a transaction can be made of. A transaction takes a snapshot of name
-- and price when it is made, so a later change here never alters it.
CREATE TABLE product (
    product_id  uuid        PRIMARY KEY,
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    unit_amount bigint      NOT NULL CHECK (unit_amount BETWEEN 1 AND 100000000),
    currency    text        NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    active      boolean     NOT NULL DEFAULT true,
    changed_at  timestamptz NOT NULL DEFAULT now()
);

-- Amounts in minor units (pence, cents).
INSERT INTO product (product_id, name, unit_amount, currency) VALUES
    ('a1000000-0000-4000-8000-000000000001', 'GP consultation fee', 4500, 'GBP'),
    ('a1000000-0000-4000-8000-000000000002', 'Prescription charge (per item)', 990, 'GBP'),
    ('a1000000-0000-4000-8000-000000000003', 'Amoxicillin 500 mg capsules, pack of 21', 1250, 'GBP'),
    ('a1000000-0000-4000-8000-000000000004', 'Salbutamol 100 microgram inhaler', 850, 'GBP'),
    ('a1000000-0000-4000-8000-000000000005', 'Travel vaccination: hepatitis A', 6500, 'GBP'),
    ('a1000000-0000-4000-8000-000000000006', 'Private sick note', 2000, 'GBP'),
    ('a1000000-0000-4000-8000-000000000007', 'Consultation fee (EU visitor)', 5500, 'EUR'),
    ('a1000000-0000-4000-8000-000000000008', 'Ibuprofen 400 mg tablets, pack of 24', 450, 'EUR');
INSERT INTO product (product_id, name, unit_amount, currency, active) VALUES
    ('a1000000-0000-4000-8000-000000000009', 'Paper prescription (discontinued)', 300, 'GBP', false);
