/**
 * The proof fixture: a schema with data, then a migration of DDL statements covering what migrations do to live
 * tables. Each statement is executed by lock-prediction.test.ts and its observed locks and rewrite compared with
 * the prediction.
 */
export const FIXTURE_SETUP = `
CREATE TABLE users (id int PRIMARY KEY, email varchar(10), name text, age int, created timestamp(3));
INSERT INTO users SELECT g, 'u' || g, 'n' || g, g, now() FROM generate_series(1, 200) g;
CREATE TABLE orders (id int PRIMARY KEY, user_id int, amount numeric(10,2), note varchar(20), code char(4));
INSERT INTO orders SELECT g, g, g, 'x', 'abcd' FROM generate_series(1, 200) g;
CREATE TABLE audit (id bigint, payload text);
INSERT INTO audit VALUES (1, 'a');
CREATE INDEX users_name_idx ON users (name);
CREATE INDEX orders_note_idx ON orders (note);
CREATE TABLE events (id int, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_old PARTITION OF events FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
CREATE TABLE events_2025 (id int, at date NOT NULL);
INSERT INTO events_2025 VALUES (1, '2025-03-01');
CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TABLE tags (id int PRIMARY KEY, label text);
INSERT INTO tags VALUES (1, 'a'), (2, 'b');
CREATE TABLE tag_links (tag_id int REFERENCES tags (id), user_id int);
INSERT INTO tag_links VALUES (1, 1), (2, 2);
CREATE TABLE notes (id int PRIMARY KEY, user_id int REFERENCES users (id));
INSERT INTO notes VALUES (1, 1);
ANALYZE;
`;

/** The migration: one statement per line, in the order it runs. */
export const FIXTURE_MIGRATION = `
ALTER TABLE users ADD COLUMN status text NOT NULL DEFAULT 'active';
ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();
ALTER TABLE users ADD COLUMN seen timestamptz DEFAULT now();
ALTER TABLE users ADD COLUMN jitter float8 DEFAULT random();
ALTER TABLE users ADD COLUMN stamp timestamptz DEFAULT clock_timestamp();
ALTER TABLE users ADD COLUMN bio text;
ALTER TABLE orders ADD COLUMN ident int GENERATED ALWAYS AS IDENTITY;
ALTER TABLE users ALTER COLUMN name SET NOT NULL;
ALTER TABLE users ADD CONSTRAINT users_age_check CHECK (age > 0);
ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT users_email_nn;
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);
ALTER TABLE tag_links ADD CONSTRAINT tag_links_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
ALTER TABLE tag_links VALIDATE CONSTRAINT tag_links_user_fk;
CREATE INDEX users_age_idx ON users (age);
CREATE INDEX CONCURRENTLY orders_amount_idx ON orders (amount);
DROP INDEX users_name_idx;
DROP INDEX CONCURRENTLY orders_note_idx;
ALTER TABLE orders ALTER COLUMN note TYPE varchar(40);
ALTER TABLE orders ALTER COLUMN note TYPE text;
ALTER TABLE orders ALTER COLUMN note TYPE varchar(10);
ALTER TABLE orders ALTER COLUMN id TYPE bigint;
ALTER TABLE orders ALTER COLUMN amount TYPE numeric(12,2);
ALTER TABLE orders ALTER COLUMN code TYPE char(8);
ALTER TABLE users ALTER COLUMN created TYPE timestamp(6);
ALTER TABLE users ALTER COLUMN age TYPE bigint USING age::bigint;
ALTER TABLE users RENAME COLUMN bio TO about;
ALTER TABLE audit RENAME TO audit_log;
ALTER INDEX users_age_idx RENAME TO users_age_index;
ALTER TABLE users DROP COLUMN jitter;
CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE events ATTACH PARTITION events_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
ALTER TABLE events DETACH PARTITION events_old;
ALTER TYPE mood ADD VALUE 'calm';
ALTER TABLE users ALTER COLUMN age SET DEFAULT 18;
ALTER TABLE users ALTER COLUMN status DROP DEFAULT;
ALTER TABLE orders DROP CONSTRAINT orders_user_fk;
CREATE TABLE payments (id int PRIMARY KEY, order_id bigint REFERENCES orders (id));
ALTER TABLE tags ADD CONSTRAINT tags_label_key UNIQUE (label);
ALTER TABLE tag_links ALTER COLUMN tag_id TYPE bigint;
ALTER TABLE orders ALTER COLUMN id TYPE int;
ALTER TABLE users ALTER COLUMN id TYPE bigint;
COMMENT ON COLUMN users.name IS 'shown on invoices';
CREATE VIEW active_users AS SELECT id, name FROM users WHERE status = 'active';
UPDATE users SET status = 'active';
INSERT INTO notes SELECT id + 1, id FROM users WHERE id < 5;
UPDATE notes SET user_id = 3 WHERE id = 2;
ALTER TABLE users SET (fillfactor = 70);
TRUNCATE audit_log;
DROP TABLE tag_links;
`;
