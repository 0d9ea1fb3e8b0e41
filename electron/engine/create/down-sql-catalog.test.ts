import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateDownSql, openProject, rollback, upgrade } from '../index.ts';
import { schemaDump } from '../testing/pg-dump.ts';
import { addMigration, onEnv, projectOn, useDatabaseAndProject } from '../testing/fixtures.ts';
import { sqlOn, type TestDatabase } from '../testing/test-database.ts';
import { addEveryKind } from '../catalog/testing/every-kind.ts';

const fresh = useDatabaseAndProject({ beforeEach, afterEach });

/**
 * The round trip the tests below make: the database up to `at`, its schema dump, the generated down.sql of `name`
 * written, up to `name` (then `seed` runs, rows for the rollback to keep), and one step back; the dump after it.
 */
async function roundTrip(db: TestDatabase, dir: string, at: string, name: string, seed?: string): Promise<{ sql: string; before: string; after: string }> {
  const { open, env } = await projectOn(dir, db.url);
  await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, { to: at }));
  const before = await schemaDump(db.url);
  const { sql } = await onEnv(env, (conn) => generateDownSql(conn, open.project, open.folder, name, { write: true }));
  const reopened = await openProject(dir);
  await onEnv(env, (conn) => upgrade({ db: conn, env, folder: reopened.folder }, { to: name }));
  if (seed) await sqlOn(db.url, seed);
  await onEnv(env, (conn) => rollback({ db: conn, env, folder: reopened.folder }, { steps: 1 }));
  return { sql, before, after: await schemaDump(db.url) };
}

describe('down-sql over every catalog kind', () => {
  it('reverses a migration adding each kind: up, then the generated down, gives the schema dump from before', async () => {
    const { db, project } = fresh();
    const history = await addEveryKind(project.dir, { server: true });
    const { open, env } = await projectOn(project.dir, db.url);
    const demoHead = open.folder.migrations[open.folder.migrations.length - history.length - 1]!.name;
    await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, { to: demoHead }));
    for (const m of history) {
      const before = await schemaDump(db.url);
      const generated = await onEnv(env, (conn) => generateDownSql(conn, open.project, open.folder, m.name, { write: true }));
      expect(generated.sql, m.name).not.toMatch(/nothing to reverse/);
      if (process.env.SHOW_SQL) console.log(generated.sql);
      const reopened = await openProject(project.dir);
      await onEnv(env, (conn) => upgrade({ db: conn, env, folder: reopened.folder }, { to: m.name }));
      expect(await schemaDump(db.url), m.name).not.toEqual(before);
      await onEnv(env, (conn) => rollback({ db: conn, env, folder: reopened.folder }, { steps: 1 }));
      expect(await schemaDump(db.url), `${m.name}\n${generated.sql}`).toEqual(before);
      await onEnv(env, (conn) => upgrade({ db: conn, env, folder: reopened.folder }, { to: m.name }));
    }
    // ~45 s on a quiet 2-core machine (a down-sql, an up and a rollback per kind); 120 s was exceeded under load.
  }, 300_000);

  it('marks Godwit\'s statements, restores a replaced function body, and warns at the top about data changes', async () => {
    const { db, project } = fresh();
    await addMigration(project.dir, '20260201000000_fn', `CREATE FUNCTION "answer"() RETURNS integer LANGUAGE sql AS $$ SELECT 41 $$;\n`);
    await addMigration(project.dir, '20260201000100_fn_fix', `CREATE OR REPLACE FUNCTION "answer"() RETURNS integer LANGUAGE sql AS $$ SELECT 42 $$;
ALTER TABLE "users" ADD CONSTRAINT "users_email_check" CHECK ("email" LIKE '%@%');
UPDATE "users" SET "email" = lower("email");\n`);
    const { open, env } = await projectOn(project.dir, db.url);
    const { sql } = await onEnv(env, (conn) => generateDownSql(conn, open.project, open.folder, '20260201000100_fn_fix'));
    const lines = sql.split('\n');
    expect(lines[1]).toMatch(/^-- WARNING: this migration changes data, which cannot be reversed from the catalog: UPDATE \(line 3\)\.$/);
    expect(sql).toMatch(/-- godwit: drop constraint public\.users\.users_email_check\n--   after:  CHECK \(email ~~ '%@%'::text\)\n--   before: \(absent\)\nALTER TABLE public\.users DROP CONSTRAINT users_email_check;/);
    expect(sql).toMatch(/-- godwit: alter function public\.answer\(\)\n--   after:  line 4 of 4: AS \$function\$ SELECT 42 \$function\$\n--   before: line 4 of 4: AS \$function\$ SELECT 41 \$function\$\nCREATE OR REPLACE FUNCTION public\.answer\(\)[\s\S]*SELECT 41/);
    expect(sql.replace(/^--.*$/gm, '')).not.toMatch(/SELECT 42/); // only the comment shows the body it replaces
    const first = await onEnv(env, (conn) => generateDownSql(conn, open.project, open.folder, '20260201000000_fn'));
    expect(first.sql).toMatch(/-- godwit: drop function public\.answer\(\)\n(--  .*\n){2}DROP FUNCTION public\.answer\(\);/);
    expect(first.sql).not.toMatch(/WARNING/);
  });

  it('reverses a rename of a Prisma 2 index name with a dot in it (`Table.field_unique`) with Prisma\'s statement alone', async () => {
    const { db, project } = fresh();
    await addMigration(project.dir, '20260301000000_market', `CREATE TABLE "MarketData" ("id" TEXT PRIMARY KEY, "date" TIMESTAMP(3) NOT NULL, "symbol" TEXT NOT NULL);
CREATE UNIQUE INDEX "MarketData.date_symbol_unique" ON "MarketData"("date", "symbol");
CREATE INDEX "MarketData.symbol_index" ON "MarketData"("symbol");\n`);
    await addMigration(project.dir, '20260301000100_prisma_3_names', `ALTER INDEX "MarketData.date_symbol_unique" RENAME TO "MarketData_date_symbol_key";
ALTER INDEX "MarketData.symbol_index" RENAME TO "MarketData_symbol_idx";\n`);
    const { sql, before, after } = await roundTrip(db, project.dir, '20260301000000_market', '20260301000100_prisma_3_names');
    expect(sql.replace(/^--.*$/gm, '').match(/MarketData\.date_symbol_unique/g), sql).toHaveLength(1); // the rename back, no CREATE beside it
    expect(after, sql).toEqual(before);
  });

  it('reverses an enum rename with a rename, keeping the rows of its columns (Prisma drops and re-adds them)', async () => {
    const { db, project } = fresh();
    await addMigration(project.dir, '20260401000000_roles', `CREATE TYPE "MemberRole" AS ENUM ('OWNER', 'VIEWER');
CREATE TABLE "Member" ("id" TEXT PRIMARY KEY, "role" "MemberRole" NOT NULL);
CREATE TABLE "Invite" ("id" TEXT PRIMARY KEY, "role" "MemberRole");\n`);
    await addMigration(project.dir, '20260401000100_rename_role', 'ALTER TYPE "MemberRole" RENAME TO "AccessRole";\n');
    const { sql, before, after } = await roundTrip(db, project.dir, '20260401000000_roles', '20260401000100_rename_role',
      `INSERT INTO "Member" VALUES ('m1', 'OWNER'); INSERT INTO "Invite" VALUES ('i1', 'VIEWER')`);
    expect(sql.replace(/^--.*$/gm, '').trim()).toBe('ALTER TYPE "public"."AccessRole" RENAME TO "MemberRole";');
    expect(after).toEqual(before);
    expect(await sqlOn(db.url, `SELECT (SELECT role::text FROM "Member") AS m, (SELECT role::text FROM "Invite") AS i`)).toEqual([{ m: 'OWNER', i: 'VIEWER' }]);
  });

  it("reverses an enum rename whose column has an index and a unique pair with the rename alone: Prisma's re-created index goes too (langfuse)", async () => {
    const { db, project } = fresh();
    await addMigration(project.dir, '20260402000000_scores', `CREATE TYPE "ScoreDataType" AS ENUM ('NUMERIC', 'CATEGORICAL');
CREATE TABLE "score_configs" ("id" TEXT PRIMARY KEY, "name" TEXT NOT NULL, "data_type" "ScoreDataType" NOT NULL);
CREATE INDEX "score_configs_data_type_idx" ON "score_configs"("data_type");
CREATE UNIQUE INDEX "score_configs_name_data_type_key" ON "score_configs"("name", "data_type");\n`);
    await addMigration(project.dir, '20260402000100_rename_type', 'ALTER TYPE "ScoreDataType" RENAME TO "ScoreConfigDataType";\n');
    const { sql, before, after } = await roundTrip(db, project.dir, '20260402000000_scores', '20260402000100_rename_type',
      `INSERT INTO "score_configs" VALUES ('s1', 'a', 'CATEGORICAL')`);
    expect(sql.replace(/^--.*$/gm, '').trim()).toBe('ALTER TYPE "public"."ScoreConfigDataType" RENAME TO "ScoreDataType";');
    expect(after, sql).toEqual(before);
    expect(await sqlOn(db.url, `SELECT data_type::text AS t FROM "score_configs"`)).toEqual([{ t: 'CATEGORICAL' }]);
  });

  it('reverses a column rename with a rename, keeping its values and place (Prisma drops one column and adds the other; langfuse)', async () => {
    const { db, project } = fresh();
    await addMigration(project.dir, '20260403000000_monitors', `CREATE TABLE "monitors" ("id" TEXT PRIMARY KEY, "last_published_run_at" TIMESTAMP(3), "name" TEXT NOT NULL, "runs" INTEGER NOT NULL DEFAULT 0);\n`);
    await addMigration(project.dir, '20260403000100_rename', `ALTER TABLE "monitors" RENAME COLUMN "last_published_run_at" TO "last_published_at";
ALTER TABLE "monitors" RENAME COLUMN "runs" TO "runCount";\n`);
    const { sql, before, after } = await roundTrip(db, project.dir, '20260403000000_monitors', '20260403000100_rename',
      `INSERT INTO "monitors" VALUES ('m1', '2026-01-02 03:04:05', 'a', 7)`);
    expect(sql).not.toMatch(/DROP COLUMN/);
    expect(after, sql).toEqual(before);
    expect(await sqlOn(db.url, `SELECT last_published_run_at::text AS t, runs FROM "monitors"`)).toEqual([{ t: '2026-01-02 03:04:05', runs: 7 }]);
  });

  it("reverses column renames among the migration's other changes to the table, keeping the values (langfuse's monitor_wallclock_lifecycle)", async () => {
    const { db, project } = fresh();
    await addMigration(project.dir, '20260405000000_monitors', `CREATE TABLE "monitors" ("id" TEXT PRIMARY KEY, "next_run_at" TIMESTAMP(3) NOT NULL, "last_published_run_at" TIMESTAMP(3), "last_completed_run_at" TIMESTAMP(3));\n`);
    await addMigration(project.dir, '20260405000100_wallclock', `ALTER TABLE "monitors" ALTER COLUMN "next_run_at" DROP NOT NULL;
ALTER TABLE "monitors" RENAME COLUMN "last_published_run_at" TO "last_published_at";
ALTER TABLE "monitors" RENAME COLUMN "last_completed_run_at" TO "last_completed_at";
ALTER TABLE "monitors" ADD COLUMN "last_claimed_at" TIMESTAMP(3);
CREATE INDEX "monitors_scheduler_rescue_idx" ON "monitors"("last_published_at")
  WHERE "last_completed_at" IS NULL OR "last_completed_at" < "last_published_at";\n`);
    const { sql, before, after } = await roundTrip(db, project.dir, '20260405000000_monitors', '20260405000100_wallclock',
      `INSERT INTO "monitors" VALUES ('m1', '2026-01-03', '2026-01-01', '2026-01-02', NULL)`);
    expect(sql).toMatch(/RENAME COLUMN "last_published_at" TO "last_published_run_at"/);
    expect(after, sql).toEqual(before);
    expect(await sqlOn(db.url, `SELECT last_published_run_at::date::text AS p, last_completed_run_at::date::text AS c FROM "monitors"`)).toEqual([{ p: '2026-01-01', c: '2026-01-02' }]);
  });

  for (const names of ['kept', 'renamed too'] as const) {
    it(`reverses a table rename with a rename, keeping its rows and the rows that reference it (papermark; index and key names ${names})`, async () => {
      const { db, project } = fresh();
      await addMigration(project.dir, '20260404000000_conversations', `CREATE TABLE "Owner" ("id" TEXT NOT NULL, CONSTRAINT "Owner_pkey" PRIMARY KEY ("id"));
CREATE TABLE "Conversation" ("id" TEXT NOT NULL, "userId" TEXT NOT NULL, "threadId" TEXT, "title" TEXT, CONSTRAINT "Conversation_pkey" PRIMARY KEY ("id"));
CREATE INDEX "Conversation_userId_idx" ON "Conversation"("userId");
CREATE UNIQUE INDEX "Conversation_threadId_key" ON "Conversation"("threadId");
ALTER TABLE "Conversation" ADD CONSTRAINT "Conversation_userId_fkey" FOREIGN KEY ("userId") REFERENCES "Owner"("id") ON DELETE CASCADE ON UPDATE CASCADE;
CREATE TABLE "Message" ("id" TEXT NOT NULL, "conversationId" TEXT NOT NULL, CONSTRAINT "Message_pkey" PRIMARY KEY ("id"));
ALTER TABLE "Message" ADD CONSTRAINT "Message_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;\n`);
      // papermark's own: the key and unique index renamed with ALTER INDEX, the foreign key with RENAME CONSTRAINT.
      await addMigration(project.dir, '20260404000100_rename_conversation', `ALTER TABLE "Conversation" RENAME TO "Chat";\n${names === 'renamed too' ? `ALTER INDEX "Conversation_pkey" RENAME TO "Chat_pkey";
ALTER INDEX "Conversation_userId_idx" RENAME TO "Chat_userId_idx";
ALTER INDEX "Conversation_threadId_key" RENAME TO "Chat_threadId_key";
ALTER TABLE "Chat" RENAME CONSTRAINT "Conversation_userId_fkey" TO "Chat_userId_fkey";\n` : ''}`);
      const { sql, before, after } = await roundTrip(db, project.dir, '20260404000000_conversations', '20260404000100_rename_conversation',
        `INSERT INTO "Owner" VALUES ('u1'); INSERT INTO "Chat" VALUES ('c1', 'u1', 't1', 'hello'); INSERT INTO "Message" VALUES ('m1', 'c1')`);
      expect(sql).not.toMatch(/DROP TABLE/);
      expect(after, sql).toEqual(before);
      expect(await sqlOn(db.url, `SELECT c.title, m.id FROM "Conversation" c JOIN "Message" m ON m."conversationId" = c.id`)).toEqual([{ title: 'hello', id: 'm1' }]);
    });
  }

  it('reverses a table rename made with renames of its enums and columns, indexes renamed twice, to names over 63 bytes or in a DO block (formbricks, inbox-zero)', async () => {
    const { db, project } = fresh();
    await addMigration(project.dir, '20260404000000_connectors', `CREATE TYPE "ConnectorStatus" AS ENUM ('active', 'paused');
CREATE TABLE "Connector" ("id" TEXT NOT NULL, "status" "ConnectorStatus" NOT NULL DEFAULT 'active', "workspaceId" TEXT NOT NULL, CONSTRAINT "Connector_pkey" PRIMARY KEY ("id"));
CREATE UNIQUE INDEX "Connector_id_workspaceId_key" ON "Connector"("id", "workspaceId");
CREATE INDEX "Connector_workspaceId_idx" ON "Connector"("workspaceId");
CREATE TABLE "ConnectorFieldMapping" ("id" TEXT NOT NULL, "connectorId" TEXT NOT NULL, "workspaceId" TEXT NOT NULL, "sourceFieldId" TEXT NOT NULL, CONSTRAINT "ConnectorFieldMapping_pkey" PRIMARY KEY ("id"));
CREATE UNIQUE INDEX "ConnectorFieldMapping_workspaceId_connectorId_sourceFieldId_key" ON "ConnectorFieldMapping"("workspaceId", "connectorId", "sourceFieldId");
ALTER TABLE "ConnectorFieldMapping" ADD CONSTRAINT "ConnectorFieldMapping_connectorId_workspaceId_fkey" FOREIGN KEY ("connectorId", "workspaceId") REFERENCES "Connector"("id", "workspaceId") ON DELETE CASCADE ON UPDATE CASCADE;\n`);
    await addMigration(project.dir, '20260404000100_rename_connector', `ALTER TYPE "ConnectorStatus" RENAME TO "FeedbackSourceStatus";
ALTER TABLE "Connector" RENAME TO "FeedbackSource";
ALTER TABLE "ConnectorFieldMapping" RENAME TO "FeedbackSourceFieldMapping";
ALTER TABLE "FeedbackSourceFieldMapping" RENAME COLUMN "connectorId" TO "feedback_source_id";
ALTER INDEX "Connector_pkey" RENAME TO "FeedbackSource_pkey";
ALTER INDEX "ConnectorFieldMapping_pkey" RENAME TO "FeedbackSourceFieldMapping_pkey";
ALTER INDEX "Connector_id_workspaceId_key" RENAME TO "FeedbackSource_id_workspaceId_key";
ALTER INDEX "FeedbackSource_id_workspaceId_key" RENAME TO "FeedbackSource_id_workspace_key";
ALTER INDEX "ConnectorFieldMapping_workspaceId_connectorId_sourceFieldId_key"
  RENAME TO "FeedbackSourceFieldMapping_workspaceId_feedbackSourceId_sourceFieldId_key";
ALTER TABLE "FeedbackSourceFieldMapping"
  RENAME CONSTRAINT "ConnectorFieldMapping_connectorId_workspaceId_fkey" TO "FeedbackSourceFieldMapping_feedbackSourceId_workspaceId_fkey";
DO $$ BEGIN EXECUTE 'ALTER INDEX "Connector_workspaceId_idx" RENAME TO "FeedbackSource_workspaceId_idx"'; END $$;\n`);
    const { sql, before, after } = await roundTrip(db, project.dir, '20260404000000_connectors', '20260404000100_rename_connector',
      `INSERT INTO "FeedbackSource" VALUES ('s1', 'paused', 'w1'), ('s2', 'active', 'w1'); INSERT INTO "FeedbackSourceFieldMapping" VALUES ('f1', 's1', 'w1', 'x')`);
    expect(sql).not.toMatch(/DROP TABLE/);
    expect(after, sql).toEqual(before);
    expect(await sqlOn(db.url, `SELECT c.id, c.status::text, m.id AS mapping FROM "Connector" c LEFT JOIN "ConnectorFieldMapping" m ON m."connectorId" = c.id ORDER BY c.id`))
      .toEqual([{ id: 's1', status: 'paused', mapping: 'f1' }, { id: 's2', status: 'active', mapping: null }]);
  });

  it('drops an extension after the index that uses it, and creates it before the index that needs it', async () => {
    const { db, project } = fresh();
    await addMigration(project.dir, '20260501000000_docs', 'CREATE TABLE "Doc" ("id" TEXT PRIMARY KEY, "title" TEXT);\n');
    await addMigration(project.dir, '20260501000100_trgm', 'CREATE EXTENSION pg_trgm;\nCREATE INDEX "Doc_title_trgm" ON "Doc" USING GIN ("title" gin_trgm_ops);\n');
    await addMigration(project.dir, '20260501000200_no_trgm', 'DROP INDEX "Doc_title_trgm";\nDROP EXTENSION pg_trgm;\n');
    for (const [from, name] of [['20260501000000_docs', '20260501000100_trgm'], ['20260501000100_trgm', '20260501000200_no_trgm']] as const) {
      const { sql, before, after } = await roundTrip(db, project.dir, from, name);
      expect(after, `${name}\n${sql}`).toEqual(before);
    }
  });

  it('leaves as a comment the DROP EXTENSION of an extension the migration created IF NOT EXISTS: it may have been there before (hoppscotch)', async () => {
    const { db, project } = fresh();
    await addMigration(project.dir, '20260501000000_docs', 'CREATE TABLE "Doc" ("id" TEXT PRIMARY KEY, "title" TEXT);\n');
    await addMigration(project.dir, '20260501000100_trgm', 'CREATE EXTENSION IF NOT EXISTS pg_trgm;\nCREATE INDEX "Doc_title_trgm" ON "Doc" USING GIN ("title" gin_trgm_ops);\n');
    // The database had it before the migration, as a production database may.
    await sqlOn(db.url, 'CREATE EXTENSION pg_trgm');
    const { sql } = await roundTrip(db, project.dir, '20260501000000_docs', '20260501000100_trgm');
    expect(sql).toMatch(/^-- DROP EXTENSION (IF EXISTS )?(public\.)?"?pg_trgm"?;$/m);
    expect(sql).not.toMatch(/^DROP EXTENSION/m);
    expect(await sqlOn(db.url, `SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'`)).toEqual([{ extname: 'pg_trgm' }]);
    expect(await sqlOn(db.url, `SELECT to_regclass('"Doc_title_trgm"') AS i`)).toEqual([{ i: null }]);
  });

  it('re-creates a dropped SERIAL table without creating its sequence a second time', async () => {
    const { db, project } = fresh();
    await addMigration(project.dir, '20260601000000_watchers', 'CREATE TABLE "watchers" ("id" SERIAL NOT NULL, "doc" TEXT, CONSTRAINT "watchers_pkey" PRIMARY KEY ("id"));\n');
    await addMigration(project.dir, '20260601000100_drop_watchers', 'DROP TABLE "watchers";\n');
    const { sql, before, after } = await roundTrip(db, project.dir, '20260601000000_watchers', '20260601000100_drop_watchers');
    expect(sql).not.toMatch(/CREATE SEQUENCE/);
    expect(after, sql).toEqual(before);
  });

  it('puts a removed enum value back in its place, not at the end (ORDER BY follows it)', async () => {
    const { db, project } = fresh();
    await addMigration(project.dir, '20260701000000_sources', `CREATE TYPE "DataSource" AS ENUM ('ALPHA', 'RAKUTEN', 'YAHOO', 'ZEBRA');
CREATE TABLE "Quote" ("id" TEXT PRIMARY KEY, "source" "DataSource" NOT NULL);\n`);
    await addMigration(project.dir, '20260701000100_drop_rakuten', `BEGIN;
CREATE TYPE "DataSource_new" AS ENUM ('ALPHA', 'YAHOO', 'ZEBRA');
ALTER TABLE "Quote" ALTER COLUMN "source" TYPE "DataSource_new" USING ("source"::text::"DataSource_new");
ALTER TYPE "DataSource" RENAME TO "DataSource_old";
ALTER TYPE "DataSource_new" RENAME TO "DataSource";
DROP TYPE "DataSource_old";
COMMIT;\n`);
    const { sql, before, after } = await roundTrip(db, project.dir, '20260701000000_sources', '20260701000100_drop_rakuten');
    expect(sql).toMatch(/ADD VALUE 'RAKUTEN' BEFORE 'YAHOO';/);
    expect(after, sql).toEqual(before);
    expect(await sqlOn(db.url, `SELECT enum_range(NULL::"DataSource")::text AS r`)).toEqual([{ r: '{ALPHA,RAKUTEN,YAHOO,ZEBRA}' }]);
  });

  it("re-types an enum's other columns before Prisma's DROP TYPE of the old one, without a transaction in the middle (rallly)", async () => {
    const { db, project } = fresh();
    await addMigration(project.dir, '20260801000000_billing', `CREATE TYPE "subscription_status" AS ENUM ('active', 'paused');
CREATE TABLE "user_payment_data" ("id" INT PRIMARY KEY, "status" "subscription_status" NOT NULL);
CREATE TABLE "subscriptions" ("id" INT PRIMARY KEY, "status" TEXT NOT NULL);\n`);
    await addMigration(project.dir, '20260801000100_status_enum', `BEGIN;
ALTER TYPE "subscription_status" ADD VALUE 'canceled';
COMMIT;
ALTER TABLE "subscriptions" ADD COLUMN "status_enum" "subscription_status";
UPDATE "subscriptions" SET "status_enum" = "status"::"subscription_status";
ALTER TABLE "subscriptions" ALTER COLUMN "status_enum" SET NOT NULL;
ALTER TABLE "subscriptions" DROP COLUMN "status";
ALTER TABLE "subscriptions" RENAME COLUMN "status_enum" TO "status";\n`);
    const { sql, before, after } = await roundTrip(db, project.dir, '20260801000000_billing', '20260801000100_status_enum');
    expect(sql).not.toMatch(/^(BEGIN|COMMIT);$/m);
    expect(sql.indexOf('ALTER TABLE "public"."subscriptions"'), sql).toBeLessThan(sql.indexOf('DROP TYPE'));
    expect(after, sql).toEqual(before);
  });

  it("drops a table the migration created with a column of an enum before Prisma's DROP TYPE of the enum's old copy (documenso)", async () => {
    const { db, project } = fresh();
    await addMigration(project.dir, '20260802000000_documents', `CREATE TYPE "DocumentStatus" AS ENUM ('DRAFT', 'COMPLETED');
CREATE TABLE "Document" ("id" INT PRIMARY KEY, "status" "DocumentStatus" NOT NULL DEFAULT 'DRAFT');\n`);
    await addMigration(project.dir, '20260802000100_archive', `ALTER TYPE "DocumentStatus" ADD VALUE 'ARCHIVED';
CREATE TABLE "SweepNote" ("id" INT PRIMARY KEY, "status" "DocumentStatus" NOT NULL);\n`);
    const { sql, before, after } = await roundTrip(db, project.dir, '20260802000000_documents', '20260802000100_archive',
      `INSERT INTO "Document" VALUES (1, 'COMPLETED'); INSERT INTO "SweepNote" VALUES (1, 'DRAFT')`);
    expect(sql.indexOf('DROP TABLE'), sql).toBeLessThan(sql.indexOf('DROP TYPE'));
    expect(after, sql).toEqual(before);
    expect(await sqlOn(db.url, `SELECT status::text AS s FROM "Document"`)).toEqual([{ s: 'COMPLETED' }]);
  });

  it("drops such a table before the block even when its column has a default Prisma's block would drop first", async () => {
    const { db, project } = fresh();
    await addMigration(project.dir, '20260803000000_roles', `CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN');
CREATE TABLE "Member" ("id" INT PRIMARY KEY, "role" "Role" NOT NULL DEFAULT 'USER');\n`);
    await addMigration(project.dir, '20260803000100_auditor', `ALTER TYPE "Role" ADD VALUE 'AUDITOR';
CREATE TABLE "RoleGrant" ("id" INT PRIMARY KEY, "role" "Role" NOT NULL DEFAULT 'USER');\n`);
    const { sql, before, after } = await roundTrip(db, project.dir, '20260803000000_roles', '20260803000100_auditor',
      `INSERT INTO "Member" VALUES (1, 'ADMIN'); INSERT INTO "RoleGrant" VALUES (1, 'USER')`);
    expect(after, sql).toEqual(before);
    expect(await sqlOn(db.url, `SELECT role::text AS r FROM "Member"`)).toEqual([{ r: 'ADMIN' }]);
  });

  it('drops and re-creates a trigger on a column whose enum loses a value on the way down (inbox-zero)', async () => {
    const { db, project } = fresh();
    await addMigration(project.dir, '20260901000000_actions', `CREATE TYPE "ActionType" AS ENUM ('ARCHIVE', 'LABEL');
CREATE TABLE "Action" ("id" TEXT PRIMARY KEY, "type" "ActionType" NOT NULL, "ruleId" TEXT);
CREATE TABLE "Revision" ("n" INT NOT NULL);
INSERT INTO "Revision" VALUES (0);
CREATE FUNCTION bump_revision() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE "Revision" SET n = n + 1; RETURN NULL; END $$;
CREATE TRIGGER bump_rules_revision_from_action AFTER INSERT OR DELETE OR UPDATE OF type, "ruleId" ON "Action" FOR EACH ROW EXECUTE FUNCTION bump_revision();
INSERT INTO "Action" VALUES ('a1', 'LABEL', 'r1');\n`);
    await addMigration(project.dir, '20260901000100_add_star', `ALTER TYPE "ActionType" ADD VALUE 'STAR';\n`);
    const { sql, before, after } = await roundTrip(db, project.dir, '20260901000000_actions', '20260901000100_add_star');
    expect(sql).toMatch(/DROP TRIGGER bump_rules_revision_from_action ON public."Action"/);
    expect(after, sql).toEqual(before);
    // The trigger is back and fires (the insert in the first migration counted 1).
    await sqlOn(db.url, `UPDATE "Action" SET type = 'ARCHIVE'`);
    expect(await sqlOn(db.url, 'SELECT n FROM "Revision"')).toEqual([{ n: 2 }]);
  });

  it('re-creates an enum whose value it adds back when the script then uses the value (formbricks: a default)', async () => {
    const { db, project } = fresh();
    await addMigration(project.dir, '20261001000000_surveys', `CREATE TYPE "SurveyType" AS ENUM ('link', 'web', 'app');
CREATE TABLE "Survey" ("id" TEXT PRIMARY KEY, "type" "SurveyType" NOT NULL DEFAULT 'web');
INSERT INTO "Survey" VALUES ('s1', 'link'), ('s2', 'web');\n`);
    await addMigration(project.dir, '20261001000100_no_web', `UPDATE "Survey" SET "type" = 'app' WHERE "type" = 'web';
BEGIN;
CREATE TYPE "SurveyType_new" AS ENUM ('link', 'app');
ALTER TABLE "Survey" ALTER COLUMN "type" DROP DEFAULT;
ALTER TABLE "Survey" ALTER COLUMN "type" TYPE "SurveyType_new" USING ("type"::text::"SurveyType_new");
ALTER TYPE "SurveyType" RENAME TO "SurveyType_old";
ALTER TYPE "SurveyType_new" RENAME TO "SurveyType";
DROP TYPE "SurveyType_old";
ALTER TABLE "Survey" ALTER COLUMN "type" SET DEFAULT 'app';
COMMIT;\n`);
    const { sql, before, after } = await roundTrip(db, project.dir, '20261001000000_surveys', '20261001000100_no_web');
    expect(sql).not.toMatch(/ADD VALUE 'web'/);
    expect(after, sql).toEqual(before);
    // s2 is 'web' again: the copy the UPDATE's backup made is put back into the re-created enum.
    expect(await sqlOn(db.url, `SELECT id, type::text AS t FROM "Survey" ORDER BY id`)).toEqual([{ id: 's1', t: 'link' }, { id: 's2', t: 'web' }]);
  });

  it('warns in its header of a NOT NULL column it adds back without a default to a table that stays (inbox-zero)', async () => {
    const { db, project } = fresh();
    await addMigration(project.dir, '20261101000000_accounts', 'CREATE TABLE "EmailAccount" ("id" TEXT NOT NULL, "email" TEXT NOT NULL, CONSTRAINT "EmailAccount_pkey" PRIMARY KEY ("id"));\n');
    await addMigration(project.dir, '20261101000100_key_by_email', `ALTER TABLE "EmailAccount" DROP CONSTRAINT "EmailAccount_pkey",
DROP COLUMN "id",
ADD CONSTRAINT "EmailAccount_pkey" PRIMARY KEY ("email");\n`);
    // (It runs on the empty table; the column comes back last: column order is not restored.)
    const { sql } = await roundTrip(db, project.dir, '20261101000000_accounts', '20261101000100_key_by_email');
    expect(sql).toMatch(/^-- WARNING: adds NOT NULL without a default EmailAccount\.id: it fails on a table with rows/m);
  });

  it('leaves a boolean → timestamp change as Prisma writes it: no text between them, and the copy of the dropped column puts the times back (inbox-zero)', async () => {
    const { db, project } = fresh();
    await addMigration(project.dir, '20260801000000_users', `CREATE TABLE "User" ("id" TEXT NOT NULL, "emailVerified" TIMESTAMP(3), CONSTRAINT "User_pkey" PRIMARY KEY ("id"));
INSERT INTO "User" VALUES ('u1', '2026-01-02 03:04:05.678'), ('u2', NULL);\n`);
    await addMigration(project.dir, '20260801000100_better_auth', 'ALTER TABLE "User" DROP COLUMN "emailVerified",\nADD COLUMN "emailVerified" BOOLEAN NOT NULL DEFAULT false;\n');
    const { sql, before, after } = await roundTrip(db, project.dir, '20260801000000_users', '20260801000100_better_auth', `UPDATE "User" SET "emailVerified" = true WHERE id = 'u2'`);
    expect(sql).not.toMatch(/::text::timestamp/);
    expect(after, sql).toEqual(before);
    expect(await sqlOn(db.url, `SELECT id, "emailVerified"::text AS v FROM "User" ORDER BY id`)).toEqual([{ id: 'u1', v: '2026-01-02 03:04:05.678' }, { id: 'u2', v: null }]);
  });

  it('adds back as it was a column the migration replaced by another of its name (boolean → text, enum → enum[] through a new column: civitai), and the rollback refills it', async () => {
    const { db, project } = fresh();
    await addMigration(project.dir, '20261001000000_images', `CREATE TYPE "Use" AS ENUM ('none', 'image', 'sell');
CREATE TABLE "Image" ("id" INTEGER PRIMARY KEY, "needsReview" BOOLEAN NOT NULL DEFAULT false, "allowUse" "Use" NOT NULL DEFAULT 'sell');
INSERT INTO "Image" VALUES (1, true, 'image'), (2, false, 'none'), (3, true, 'sell');\n`);
    await addMigration(project.dir, '20261001000100_review_levels', `ALTER TABLE "Image" ADD COLUMN "needsReview_new" TEXT;
UPDATE "Image" SET "needsReview_new" = 'minor' WHERE "needsReview";
ALTER TABLE "Image" DROP COLUMN "needsReview";
ALTER TABLE "Image" RENAME COLUMN "needsReview_new" TO "needsReview";
ALTER TABLE "Image" ADD COLUMN "allowUse_temp" "Use"[] NOT NULL DEFAULT ARRAY['sell']::"Use"[];
UPDATE "Image" SET "allowUse_temp" = ARRAY["allowUse"];
ALTER TABLE "Image" DROP COLUMN "allowUse";
ALTER TABLE "Image" RENAME COLUMN "allowUse_temp" TO "allowUse";\n`);
    const { sql } = await roundTrip(db, project.dir, '20261001000000_images', '20261001000100_review_levels',
      `UPDATE "Image" SET "needsReview" = 'poi' WHERE id = 2; INSERT INTO "Image" VALUES (4, 'minor', ARRAY['image', 'sell']::"Use"[])`);
    // Not a cast: no real text value is a boolean, and no enum[] casts to its enum.
    expect(sql).not.toMatch(/::text::boolean|SET DATA TYPE/);
    expect(await sqlOn(db.url, `SELECT column_name AS c, udt_name AS t, is_nullable AS n, column_default AS d FROM information_schema.columns WHERE table_name = 'Image' AND column_name <> 'id' ORDER BY 1`)).toEqual([
      { c: 'allowUse', t: 'Use', n: 'NO', d: `'sell'::"Use"` },
      { c: 'needsReview', t: 'bool', n: 'NO', d: 'false' },
    ]);
    // The copied values come back; a row added since the upgrade gets the defaults.
    expect(await sqlOn(db.url, `SELECT id, "needsReview" AS r, "allowUse"::text AS u FROM "Image" ORDER BY id`)).toEqual([
      { id: 1, r: true, u: 'image' }, { id: 2, r: false, u: 'none' }, { id: 3, r: true, u: 'sell' }, { id: 4, r: false, u: 'sell' },
    ]);
  });

  it('drops and re-creates the views over a column whose enum loses a value on the way down: a view on a view, a materialized view and its index (civitai)', async () => {
    const { db, project } = fresh();
    await addMigration(project.dir, '20261101000000_reports', `CREATE TYPE "Reason" AS ENUM ('spam', 'nsfw');
CREATE TABLE "Report" ("id" INTEGER PRIMARY KEY, "reason" "Reason" NOT NULL);
INSERT INTO "Report" VALUES (1, 'spam'), (2, 'nsfw'), (3, 'spam');
CREATE VIEW "ReportStat" AS SELECT count(*) FILTER (WHERE "reason" = 'spam') AS spam, count(*) AS total FROM "Report";
CREATE VIEW "ReportShare" AS SELECT spam::float / total AS share FROM "ReportStat";
CREATE MATERIALIZED VIEW "ReportByReason" AS SELECT "reason", count(*) AS n FROM "Report" GROUP BY "reason";
CREATE UNIQUE INDEX "ReportByReason_reason_key" ON "ReportByReason"("reason");\n`);
    await addMigration(project.dir, '20261101000100_sticker_reason', `ALTER TYPE "Reason" ADD VALUE 'sticker';\n`);
    const { sql, before, after } = await roundTrip(db, project.dir, '20261101000000_reports', '20261101000100_sticker_reason');
    expect(sql).toMatch(/DROP VIEW public\."ReportShare";[\s\S]*DROP VIEW public\."ReportStat";[\s\S]*ALTER COLUMN "reason" TYPE/);
    expect(after, sql).toEqual(before);
    expect(await sqlOn(db.url, `SELECT share FROM "ReportShare"`)).toEqual([{ share: 2 / 3 }]);
    expect(await sqlOn(db.url, `SELECT reason::text AS r, n::int FROM "ReportByReason" ORDER BY 1`)).toEqual([{ r: 'nsfw', n: 1 }, { r: 'spam', n: 2 }]);
  });

  it("reverses timestamp → timestamptz USING col AT TIME ZONE 'UTC' in that zone, not the session's: values written since keep their time (hoppscotch)", async () => {
    const { db, project } = fresh();
    await sqlOn(db.url, `ALTER DATABASE "${db.name}" SET timezone = 'America/New_York'`);
    await addMigration(project.dir, '20261201000000_users', `CREATE TABLE "User" ("id" TEXT PRIMARY KEY, "createdOn" TIMESTAMP(3) NOT NULL, "lastLoggedOn" TIMESTAMP(3));
INSERT INTO "User" VALUES ('u1', '2025-01-01 10:00:00', NULL);\n`);
    await addMigration(project.dir, '20261201000100_timestamp_with_timezone', `ALTER TABLE "User" ALTER COLUMN "createdOn" SET DATA TYPE TIMESTAMPTZ(3) USING "createdOn" AT TIME ZONE 'UTC',
ALTER COLUMN "lastLoggedOn" SET DATA TYPE TIMESTAMPTZ(3) USING "lastLoggedOn" AT TIME ZONE 'UTC';\n`);
    const { sql, before, after } = await roundTrip(db, project.dir, '20261201000000_users', '20261201000100_timestamp_with_timezone',
      `INSERT INTO "User" VALUES ('u2', '2025-09-01 12:00:00+00', NULL); UPDATE "User" SET "lastLoggedOn" = '2025-09-02 10:00:00+00' WHERE id = 'u1'`);
    expect(sql).toContain(`ALTER COLUMN "createdOn" SET DATA TYPE TIMESTAMP(3) USING ("createdOn" AT TIME ZONE 'UTC')`);
    expect(after, sql).toEqual(before);
    // Stored as UTC wall-clock times, as before the upgrade: not shifted by New York's offset.
    expect(await sqlOn(db.url, `SELECT id, "createdOn"::text AS c, "lastLoggedOn"::text AS l FROM "User" ORDER BY id`)).toEqual([
      { id: 'u1', c: '2025-01-01 10:00:00', l: '2025-09-02 10:00:00' },
      { id: 'u2', c: '2025-09-01 12:00:00', l: null },
    ]);
  });

  it('re-creates an enum whose value it adds back when the migration moved rows off that value: their restore uses it in the same transaction', async () => {
    const { db, project } = fresh();
    await addMigration(project.dir, '20261201000000_tasks', `CREATE TYPE "Status" AS ENUM ('NEW', 'ACTIVE', 'DONE');
CREATE TABLE "Task" ("id" INTEGER PRIMARY KEY, "status" "Status" NOT NULL DEFAULT 'NEW');
INSERT INTO "Task" VALUES (1, 'ACTIVE'), (2, 'DONE'), (3, 'ACTIVE');\n`);
    await addMigration(project.dir, '20261201000100_no_active', `UPDATE "Task" SET "status" = 'NEW' WHERE "status" = 'ACTIVE';
BEGIN;
CREATE TYPE "Status_new" AS ENUM ('NEW', 'DONE');
ALTER TABLE "Task" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "Task" ALTER COLUMN "status" TYPE "Status_new" USING ("status"::text::"Status_new");
ALTER TYPE "Status" RENAME TO "Status_old";
ALTER TYPE "Status_new" RENAME TO "Status";
DROP TYPE "Status_old";
ALTER TABLE "Task" ALTER COLUMN "status" SET DEFAULT 'NEW';
COMMIT;\n`);
    const { sql, before, after } = await roundTrip(db, project.dir, '20261201000000_tasks', '20261201000100_no_active');
    expect(sql).not.toMatch(/ADD VALUE 'ACTIVE'/);
    expect(after, sql).toEqual(before);
    expect(await sqlOn(db.url, `SELECT id, status::text AS s FROM "Task" ORDER BY id`)).toEqual([{ id: 1, s: 'ACTIVE' }, { id: 2, s: 'DONE' }, { id: 3, s: 'ACTIVE' }]);
  });

  it('reverses an enum-to-text change with a type change that keeps the values and the index on it, not DROP and ADD COLUMN (ghostfolio, documenso)', async () => {
    const { db, project } = fresh();
    await addMigration(project.dir, '20260901000000_settings', `CREATE TYPE "Currency" AS ENUM ('CHF', 'EUR', 'GBP', 'USD');
CREATE TABLE "Settings" ("id" TEXT PRIMARY KEY, "currency" "Currency", "baseCurrency" "Currency" NOT NULL DEFAULT 'USD');
CREATE INDEX "Settings_currency_idx" ON "Settings"("currency");\n`);
    await addMigration(project.dir, '20260901000100_currency_as_text', `ALTER TABLE "Settings" ALTER COLUMN "currency" SET DATA TYPE TEXT;
ALTER TABLE "Settings" ALTER COLUMN "baseCurrency" DROP DEFAULT, ALTER COLUMN "baseCurrency" SET DATA TYPE TEXT, ALTER COLUMN "baseCurrency" SET DEFAULT 'USD';\n`);
    const { sql, before, after } = await roundTrip(db, project.dir, '20260901000000_settings', '20260901000100_currency_as_text',
      `INSERT INTO "Settings" VALUES ('a', 'EUR', 'GBP'), ('b', NULL, 'USD')`);
    expect(sql).not.toMatch(/DROP COLUMN/);
    expect(after, sql).toEqual(before);
    expect(await sqlOn(db.url, `SELECT id, currency::text AS c, "baseCurrency"::text AS b FROM "Settings" ORDER BY id`)).toEqual([{ id: 'a', c: 'EUR', b: 'GBP' }, { id: 'b', c: null, b: 'USD' }]);
  });

  it('re-creates an enum whose values the migration put in another order, keeping rows, defaults and array columns', async () => {
    const { db, project } = fresh();
    await addMigration(project.dir, '20261001000000_roles', `CREATE TYPE "Role" AS ENUM ('OWNER', 'ADMIN', 'MEMBER', 'GUEST');
CREATE TABLE "Member" ("id" TEXT PRIMARY KEY, "role" "Role" NOT NULL DEFAULT 'MEMBER', "past" "Role"[]);
CREATE INDEX "Member_role_idx" ON "Member"("role");\n`);
    // Prisma re-creates the type to drop GUEST, with the values in the order schema.prisma now lists them.
    await addMigration(project.dir, '20261001000100_drop_guest', `BEGIN;
CREATE TYPE "Role_new" AS ENUM ('MEMBER', 'ADMIN', 'OWNER');
ALTER TABLE "Member" ALTER COLUMN "role" DROP DEFAULT;
ALTER TABLE "Member" ALTER COLUMN "role" TYPE "Role_new" USING ("role"::text::"Role_new");
ALTER TABLE "Member" ALTER COLUMN "past" TYPE "Role_new"[] USING ("past"::text::"Role_new"[]);
ALTER TYPE "Role" RENAME TO "Role_old";
ALTER TYPE "Role_new" RENAME TO "Role";
DROP TYPE "Role_old";
ALTER TABLE "Member" ALTER COLUMN "role" SET DEFAULT 'MEMBER';
COMMIT;\n`);
    const { sql, before, after } = await roundTrip(db, project.dir, '20261001000000_roles', '20261001000100_drop_guest',
      `INSERT INTO "Member" VALUES ('a', 'OWNER', '{ADMIN,MEMBER}'), ('b', 'MEMBER', NULL)`);
    expect(sql).toMatch(/-- godwit: .*cannot reorder/);
    expect(after, sql).toEqual(before);
    expect(await sqlOn(db.url, `SELECT enum_range(NULL::"Role")::text AS r`)).toEqual([{ r: '{OWNER,ADMIN,MEMBER,GUEST}' }]);
    expect(await sqlOn(db.url, `SELECT id, role::text AS r, past::text AS p FROM "Member" ORDER BY role`)).toEqual([{ id: 'a', r: 'OWNER', p: '{ADMIN,MEMBER}' }, { id: 'b', r: 'MEMBER', p: null }]);
  });

  it('re-creates an enum whose values a migration only reordered (Prisma\'s differ sees no change)', async () => {
    const { db, project } = fresh();
    await addMigration(project.dir, '20261101000000_levels', `CREATE TYPE "Level" AS ENUM ('LOW', 'MID', 'HIGH');
CREATE TABLE "Alert" ("id" INT PRIMARY KEY, "level" "Level");\n`);
    await addMigration(project.dir, '20261101000100_reorder', `CREATE TYPE "Level_new" AS ENUM ('HIGH', 'MID', 'LOW');
ALTER TABLE "Alert" ALTER COLUMN "level" TYPE "Level_new" USING ("level"::text::"Level_new");
DROP TYPE "Level";
ALTER TYPE "Level_new" RENAME TO "Level";\n`);
    const { sql, before, after } = await roundTrip(db, project.dir, '20261101000000_levels', '20261101000100_reorder', `INSERT INTO "Alert" VALUES (1, 'HIGH'), (2, 'LOW')`);
    expect(after, sql).toEqual(before);
    expect(await sqlOn(db.url, `SELECT id FROM "Alert" ORDER BY level`)).toEqual([{ id: 2 }, { id: 1 }]);
  });
});
