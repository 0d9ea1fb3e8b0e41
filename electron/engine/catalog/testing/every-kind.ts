import { addMigration } from '../../testing/fixtures.ts';

/**
 * A migration history creating one object of every kind the catalog snapshot reads, one migration per kind, on top of
 * the demo project. `server: true` adds what needs a contrib extension PGlite does not load by default.
 */
export interface KindMigration {
  name: string;
  /** The catalog kind the migration adds. */
  kind: string;
  sql: string;
  serverOnly?: boolean;
}

export const EVERY_KIND: KindMigration[] = [
  { name: '20260101000000_ek_table', kind: 'table', sql: `CREATE TABLE "gadget" ("id" SERIAL NOT NULL, "name" TEXT NOT NULL, "price" INTEGER DEFAULT 5, "tags" TEXT, "during" tsrange,
    CONSTRAINT "gadget_pkey" PRIMARY KEY ("id"));\n` },
  { name: '20260101000100_ek_schema', kind: 'schema', sql: 'CREATE SCHEMA "extra";\n' },
  { name: '20260101000200_ek_extension', kind: 'extension', sql: 'CREATE EXTENSION "pg_trgm";\n', serverOnly: true },
  { name: '20260101000300_ek_enum', kind: 'enum', sql: `CREATE TYPE "mood" AS ENUM ('happy', 'sad', 'ERROR');\n` },
  { name: '20260101000400_ek_domain', kind: 'domain', sql: 'CREATE DOMAIN "extra"."positive_int" AS INTEGER NOT NULL CHECK (VALUE > 0);\n' },
  { name: '20260101000500_ek_composite', kind: 'composite type', sql: 'CREATE TYPE "money_pair" AS ("amount" NUMERIC(10,2), "currency" TEXT);\n' },
  { name: '20260101000600_ek_sequence', kind: 'sequence', sql: 'CREATE SEQUENCE "ticket_seq" AS integer START 100 INCREMENT 5 MAXVALUE 100000;\n' },
  { name: '20260101000700_ek_check', kind: 'constraint', sql: 'ALTER TABLE "gadget" ADD CONSTRAINT "gadget_price_check" CHECK ("price" >= 0) NOT VALID;\n' },
  { name: '20260101000800_ek_exclude', kind: 'constraint', sql: 'ALTER TABLE "gadget" ADD CONSTRAINT "gadget_during_excl" EXCLUDE USING gist ("during" WITH &&);\n' },
  { name: '20260101000900_ek_deferrable', kind: 'constraint', sql: 'ALTER TABLE "gadget" ADD CONSTRAINT "gadget_name_key" UNIQUE ("name") DEFERRABLE INITIALLY DEFERRED;\n' },
  { name: '20260101001000_ek_index', kind: 'index', sql: 'CREATE INDEX "gadget_cheap_idx" ON "gadget" ("price") WHERE "price" < 10;\nCREATE INDEX "gadget_tags_idx" ON "gadget" USING hash ("tags");\n' },
  { name: '20260101001100_ek_view', kind: 'view', sql: 'CREATE VIEW "cheap_gadgets" AS SELECT "id", "name" FROM "gadget" WHERE "price" < 10;\n' },
  { name: '20260101001200_ek_matview', kind: 'materialized view', sql: 'CREATE MATERIALIZED VIEW "gadget_count" AS SELECT count(*) AS "n" FROM "gadget";\n' },
  { name: '20260101001300_ek_function', kind: 'function', sql: `CREATE FUNCTION "touch_gadget"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."name" := trim(NEW."name"); -- a semicolon; in a comment
  RETURN NEW;
END $$;\n` },
  { name: '20260101001400_ek_procedure', kind: 'procedure', sql: `CREATE PROCEDURE "reprice"("pct" INTEGER) LANGUAGE sql AS $$ UPDATE "gadget" SET "price" = "price" * pct / 100 $$;\n` },
  { name: '20260101001500_ek_trigger', kind: 'trigger', sql: 'CREATE TRIGGER "gadget_touch" BEFORE INSERT OR UPDATE ON "gadget" FOR EACH ROW EXECUTE FUNCTION "touch_gadget"();\n' },
  { name: '20260101001600_ek_rls', kind: 'row security', sql: 'ALTER TABLE "gadget" ENABLE ROW LEVEL SECURITY;\n' },
  { name: '20260101001700_ek_policy', kind: 'policy', sql: 'CREATE POLICY "gadget_read" ON "gadget" FOR SELECT USING ("price" IS NOT NULL);\n' },
  { name: '20260101001800_ek_comment', kind: 'comment', sql: `COMMENT ON TABLE "gadget" IS 'Things we sell';\nCOMMENT ON COLUMN "gadget"."price" IS 'In cents';\n` },
  { name: '20260101001900_ek_column', kind: 'column', sql: 'ALTER TABLE "gadget" ADD COLUMN "mood" "mood" NOT NULL DEFAULT \'happy\';\n' },
  { name: '20260101002000_ek_range', kind: 'range type', sql: 'CREATE TYPE "price_range" AS RANGE (SUBTYPE = float8, SUBTYPE_DIFF = float8mi);\n' },
  { name: '20260101002100_ek_rule', kind: 'rule', sql: 'CREATE RULE "gadget_keep_negative" AS ON DELETE TO "gadget" WHERE OLD."price" < 0 DO INSTEAD NOTHING;\n' },
  { name: '20260101002200_ek_event_trigger', kind: 'event trigger', sql: `CREATE FUNCTION "note_ddl"() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;
CREATE EVENT TRIGGER "ek_note_ddl" ON ddl_command_end WHEN TAG IN ('CREATE TABLE', 'ALTER TABLE') EXECUTE FUNCTION "note_ddl"();\n` },
  { name: '20260101002300_ek_wrapper', kind: 'foreign data wrapper', sql: 'CREATE FOREIGN DATA WRAPPER "ek_wrapper";\n' },
  { name: '20260101002400_ek_server', kind: 'foreign server', sql: `CREATE SERVER "ek_server" FOREIGN DATA WRAPPER "ek_wrapper" OPTIONS (host 'warehouse.internal', port '5432');\n` },
  { name: '20260101002500_ek_foreign_table', kind: 'foreign table', sql: `CREATE FOREIGN TABLE "remote_stock" ("sku" TEXT NOT NULL, "qty" INTEGER) SERVER "ek_server" OPTIONS (table_name 'stock');\n` },
  { name: '20260101002600_ek_publication', kind: 'publication', sql: `CREATE PUBLICATION "gadget_changes" FOR TABLE "gadget" WITH (publish = 'insert, update');\n` },
];

/** Adds the history to a project folder (after the demo's migrations). */
export async function addEveryKind(projectDir: string, opts: { server: boolean }): Promise<KindMigration[]> {
  const picked = EVERY_KIND.filter((m) => opts.server || !m.serverOnly);
  for (const m of picked) await addMigration(projectDir, m.name, m.sql);
  return picked;
}
