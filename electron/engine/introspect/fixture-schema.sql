-- The hard cases of \d, built by the introspection tests and compared with what psql prints.
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);
CREATE SCHEMA billing;

CREATE TABLE "Customers" (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    "FullName" text NOT NULL COLLATE "C",
    email varchar(320) NOT NULL,
    tags text[] DEFAULT '{}'::text[],
    mood mood DEFAULT 'ok',
    score positive_int,
    name_length integer GENERATED ALWAYS AS (length("FullName")) STORED,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT customers_email_check CHECK (position('@' in email) > 1)
);
COMMENT ON TABLE "Customers" IS 'People who pay us';
COMMENT ON COLUMN "Customers".email IS 'Unique, lower-cased';
ALTER TABLE "Customers" ALTER COLUMN email SET STATISTICS 500;
ALTER TABLE "Customers" ALTER COLUMN "FullName" SET STORAGE EXTERNAL;
CREATE UNIQUE INDEX customers_email_lower_idx ON "Customers" (lower(email));
CREATE INDEX customers_active_idx ON "Customers" (created_at) WHERE mood <> 'sad';

CREATE TABLE "order lines" (
    order_id bigint NOT NULL,
    line_no smallint NOT NULL,
    customer_id integer REFERENCES "Customers"(id) ON DELETE SET NULL,
    sku text NOT NULL,
    quantity numeric(10,2) NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_id, line_no),
    CONSTRAINT order_lines_sku_uniq UNIQUE (order_id, sku) DEFERRABLE INITIALLY DEFERRED
) WITH (fillfactor = 80);

CREATE TABLE billing.invoices (
    id bigserial PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES "Customers"(id) ON DELETE CASCADE ON UPDATE CASCADE DEFERRABLE,
    amount numeric(12,2) NOT NULL,
    issued_on date NOT NULL DEFAULT CURRENT_DATE
);
ALTER TABLE billing.invoices ENABLE ROW LEVEL SECURITY;
CREATE POLICY invoices_owner ON billing.invoices FOR SELECT TO PUBLIC USING (customer_id > 0);
CREATE POLICY invoices_admin ON billing.invoices AS RESTRICTIVE FOR UPDATE USING (true) WITH CHECK (amount >= 0);

CREATE TABLE measurements (
    city_id integer NOT NULL,
    logdate date NOT NULL,
    peak numeric
) PARTITION BY RANGE (logdate);
CREATE TABLE measurements_2025 PARTITION OF measurements FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE measurements_2026 PARTITION OF measurements FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE INDEX measurements_city_idx ON measurements (city_id);

CREATE TABLE cities (name text PRIMARY KEY, population real);
CREATE TABLE capitals (country char(2) NOT NULL) INHERITS (cities);

CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER customers_touch BEFORE UPDATE ON "Customers" FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER customers_audit AFTER INSERT ON "Customers" FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE "Customers" DISABLE TRIGGER customers_audit;

CREATE VIEW active_customers AS SELECT id, "FullName" FROM "Customers" WHERE mood <> 'sad';
CREATE MATERIALIZED VIEW customer_counts AS SELECT mood, count(*) AS n FROM "Customers" GROUP BY mood;
CREATE SEQUENCE ticket_seq START 100 INCREMENT 5 MAXVALUE 100000 CYCLE;
CREATE UNLOGGED TABLE scratchpad (k text, v jsonb);
ALTER TABLE scratchpad REPLICA IDENTITY FULL;
