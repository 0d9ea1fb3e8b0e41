import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { environmentStatus, GodwitError, MigrationFailedError, previewSql, upgrade, rollback } from '../index.ts';
import { psqlStdin } from '../testing/psql.ts';
import { createTestDatabase, sqlOn, type TestDatabase } from '../testing/test-database.ts';
import { schemaDump } from '../testing/pg-dump.ts';
import { copyDemoProject } from '../testing/temp-project.ts';
import { addMigration, DEMO_COUNT, DEMO_HEAD, onEnv, projectOn } from '../testing/fixtures.ts';
import { DEMO_PROJECT_DIR } from '../demo/open-demo.ts';
import { migrationList, NO_FILTER, withSchemaEngine } from '../schema-engine/engine-session.ts';
import type { HistoryRow } from '../history/history-table.ts';

let db: TestDatabase;
beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(() => db.drop());

const rowsOf = (url: string) =>
  sqlOn<HistoryRow>(url, 'SELECT * FROM _prisma_migrations ORDER BY migration_name');

describe('godwit up', () => {
  it('writes rows and a schema indistinguishable from Prisma\'s own applyMigrations (ids and times aside)', async () => {
    const { open, env } = await projectOn(DEMO_PROJECT_DIR, db.url);
    const report = await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, {}));
    expect(report.completed.map((c) => c.name)).toHaveLength(DEMO_COUNT);
    expect(report.headAfter).toBe(DEMO_HEAD);

    const prismaDb = await createTestDatabase();
    try {
      const { env: prismaEnv } = await projectOn(DEMO_PROJECT_DIR, prismaDb.url);
      await onEnv(prismaEnv, (conn) =>
        withSchemaEngine(conn, open.project, (engine) => engine.applyMigrations({ migrationsList: migrationList(open.project, open.folder), filters: NO_FILTER })),
      );
      const strip = (rows: HistoryRow[]) => rows.map(({ id, started_at, finished_at, ...rest }) => ({ ...rest, idIsUuid: /^[0-9a-f-]{36}$/.test(id), finished: finished_at !== null, ordered: finished_at! >= started_at }));
      const ours = await rowsOf(db.url);
      const theirs = await rowsOf(prismaDb.url);
      expect(ours).toHaveLength(DEMO_COUNT);
      expect(strip(ours)).toEqual(strip(theirs));
      // Same tables, same _prisma_migrations definition: the dumps are byte-identical.
      expect(await schemaDump(db.url)).toBe(await schemaDump(prismaDb.url));
    } finally {
      await prismaDb.drop();
    }
  });

  it('rolls a failing migration back entirely: schema byte-identical, no history row; Prisma leaves it half-applied', async () => {
    const project = await copyDemoProject();
    try {
      await addMigration(project.dir, '20990101000000_broken', 'CREATE TABLE "a" (id int);\nCREATE TABLE "users" (x int);\nCREATE TABLE "b" (id int);\n');
      const { open, env } = await projectOn(project.dir, db.url);
      await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, { to: DEMO_HEAD }));
      const before = await schemaDump(db.url);
      const rowsBefore = await rowsOf(db.url);

      const err = await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, {})).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MigrationFailedError);
      const failure = (err as MigrationFailedError).failure;
      expect(failure).toMatchObject({ migration: '20990101000000_broken', statementIndex: 2, line: 2, statement: 'CREATE TABLE "users" (x int)', rolledBack: true });
      expect(failure.error.code).toBe('42P07');
      expect(await schemaDump(db.url)).toBe(before);
      expect(await rowsOf(db.url)).toEqual(rowsBefore);
      const status = await onEnv(env, (conn) => environmentStatus(open, env, conn));
      expect(status.migrations.at(-1)).toMatchObject({ name: '20990101000000_broken', state: 'pending' });

      // The contrast: Prisma's engine on the same database keeps table "a" and writes a failed row.
      await expect(onEnv(env, (conn) => withSchemaEngine(conn, open.project, (engine) => engine.applyMigrations({ migrationsList: migrationList(open.project, open.folder), filters: NO_FILTER })))).rejects.toThrow();
      expect(await sqlOn(db.url, "SELECT 1 FROM _prisma_migrations WHERE migration_name = '20990101000000_broken' AND finished_at IS NULL")).toHaveLength(1);
    } finally {
      await project.remove();
    }
  });

  it('names the failing statement and line, with or without a server position, and at COMMIT', async () => {
    const cases: [string, string, Partial<{ statementIndex: number; line: number; statement: string }>][] = [
      // Position given by the server: the line inside a multi-line statement.
      ['position', 'CREATE TABLE "p1" (id int);\nSELECT 1,\n  2,\n  missing_column\nFROM "p1";\n', { statementIndex: 2, line: 4 }],
      // No position (execution error): found by replaying in a rolled-back transaction.
      ['replay', 'CREATE TABLE "r1" (id int);\nCREATE TABLE "r2" (id int);\nCREATE TABLE "r1" (id int);\n', { statementIndex: 3, line: 3, statement: 'CREATE TABLE "r1" (id int)' }],
      // A deferred constraint fails only when the transaction commits.
      ['commit', 'CREATE TABLE "d1" (id int PRIMARY KEY, parent int REFERENCES "d1"(id) DEFERRABLE INITIALLY DEFERRED);\nINSERT INTO "d1" VALUES (1, 42);\n', { statementIndex: 0, statement: 'COMMIT' }],
    ];
    for (const [label, sql, expected] of cases) {
      const project = await copyDemoProject();
      const fresh = await createTestDatabase();
      try {
        await addMigration(project.dir, `20990101000000_${label}`, sql);
        const { open, env } = await projectOn(project.dir, fresh.url);
        await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, { to: DEMO_HEAD }));
        const before = await schemaDump(fresh.url);
        const err = await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, {})).catch((e: unknown) => e);
        expect(err, label).toBeInstanceOf(MigrationFailedError);
        expect((err as MigrationFailedError).failure, label).toMatchObject({ ...expected, rolledBack: true });
        expect(await schemaDump(fresh.url), label).toBe(before);
      } finally {
        await project.remove();
        await fresh.drop();
      }
    }
  });

  it('batches quick migrations per round trip, yet a failure inside a batch stops exactly there', async () => {
    const project = await copyDemoProject();
    try {
      await addMigration(project.dir, '20990101000000_ok_one', 'CREATE TABLE "ok_one" (id int);\n');
      await addMigration(project.dir, '20990102000000_broken', 'CREATE TABLE "half" (id int);\nCREATE TABLE "users" (x int);\n');
      await addMigration(project.dir, '20990103000000_never', 'CREATE TABLE "never" (id int);\n');
      const { open, env } = await projectOn(project.dir, db.url);
      const events: string[] = [];
      let batches = 0;
      const err = await onEnv(env, (conn) => {
        // Count multi-migration round trips, to be sure batching (not only the single path) ran.
        const counting = { ...conn, queryBatch: (sql: string) => ((sql.match(/^BEGIN;$/gm)?.length ?? 0) > 1 && batches++, conn.queryBatch(sql)) };
        return upgrade({ db: counting, env, folder: open.folder }, { onProgress: (e) => events.push(`${e.type}:${e.name}`) });
      }).catch((e: unknown) => e);
      expect(batches).toBeGreaterThan(0);
      expect(err).toBeInstanceOf(MigrationFailedError);
      expect((err as MigrationFailedError).failure).toMatchObject({ migration: '20990102000000_broken', statementIndex: 2, line: 2, rolledBack: true });
      const names = (await rowsOf(db.url)).map((r) => r.migration_name);
      expect(names).toEqual([...open.folder.migrations.slice(0, DEMO_COUNT + 1).map((m) => m.name)]);
      expect(await sqlOn(db.url, "SELECT to_regclass('half')::text AS h, to_regclass('never')::text AS n, to_regclass('ok_one')::text AS o")).toEqual([{ h: null, n: null, o: 'ok_one' }]);
      expect(events.filter((e) => e.startsWith('done:'))).toHaveLength(DEMO_COUNT + 1);
      expect(events.at(-1)).toBe('failed:20990102000000_broken');
      expect(events).not.toContain('done:20990103000000_never');
    } finally {
      await project.remove();
    }
  });

  it('previews the exact script: piped into psql it leaves the same schema and history as godwit up', async () => {
    const { open, env } = await projectOn(DEMO_PROJECT_DIR, db.url);
    const { sql } = await onEnv(env, (conn) => previewSql(open, env, conn, { direction: 'up' }));
    await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, {}));
    const viaPsql = await createTestDatabase();
    try {
      await psqlStdin(viaPsql.url, sql);
      expect(await schemaDump(viaPsql.url)).toBe(await schemaDump(db.url));
      const names = async (url: string) => (await rowsOf(url)).map((r) => [r.migration_name, r.checksum, r.applied_steps_count, r.finished_at !== null]);
      expect(await names(viaPsql.url)).toEqual(await names(db.url));
    } finally {
      await viaPsql.drop();
    }
  });

  it('previews a script that psql stops at the first error, as godwit does: the migrations after a failed one do not run', async () => {
    const project = await copyDemoProject();
    try {
      await addMigration(project.dir, '20990101000000_fails', 'CREATE TABLE "a" ("id" int);\nSELECT * FROM "no_such_table";\n');
      await addMigration(project.dir, '20990102000000_next', 'CREATE TABLE "b" ("id" int);\n');
      const { open, env } = await projectOn(project.dir, db.url);
      const { sql } = await onEnv(env, (conn) => previewSql(open, env, conn, { direction: 'up' }));
      // Plain psql, no -v ON_ERROR_STOP: the script asks for it itself.
      await expect(psqlStdin(db.url, sql)).rejects.toMatchObject({ code: 3 });
      expect(await sqlOn(db.url, `SELECT to_regclass('public.a') IS NULL AS no_a, to_regclass('public.b') IS NULL AS no_b`)).toEqual([{ no_a: true, no_b: true }]);
      expect((await rowsOf(db.url)).map((r) => r.migration_name)).not.toContain('20990102000000_next');
    } finally {
      await project.remove();
    }
  });

  it("runs a script wrapped in its own BEGIN/COMMIT (Prisma's enum template) in Godwit's transaction: atomic with its history row, and located on failure", async () => {
    const project = await copyDemoProject();
    try {
      await addMigration(project.dir, '20990101000000_roles', `CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN', 'GUEST');
CREATE TABLE "members" ("id" int PRIMARY KEY, "role" "Role" NOT NULL);
INSERT INTO "members" VALUES (1, 'USER'), (2, 'GUEST');\n`);
      const template = (values: string) => `BEGIN;
CREATE TYPE "Role_new" AS ENUM (${values});
ALTER TABLE "members" ALTER COLUMN "role" TYPE "Role_new" USING ("role"::text::"Role_new");
ALTER TYPE "Role" RENAME TO "Role_old";
ALTER TYPE "Role_new" RENAME TO "Role";
DROP TYPE "Role_old";
COMMIT;\n`;
      await addMigration(project.dir, '20990102000000_drop_guest', template(`'USER', 'ADMIN'`));
      const { open, env } = await projectOn(project.dir, db.url);
      const ctx = (conn: Parameters<typeof upgrade>[0]['db']) => ({ db: conn, env, folder: open.folder });
      const { sql } = await onEnv(env, (conn) => previewSql(open, env, conn, { direction: 'up' }));
      expect(sql).toContain("Its own BEGIN and COMMIT are sent as spaces: it runs in Godwit's transaction.");
      const err = await onEnv(env, (conn) => upgrade(ctx(conn), {})).catch((e: unknown) => e);
      // GUEST is still used: the cast fails at statement 3 (line 3); nothing of the script stays, and no history row.
      expect(err).toBeInstanceOf(MigrationFailedError);
      const f = (err as MigrationFailedError).failure;
      expect([f.statementIndex, f.line, f.rolledBack]).toEqual([3, 3, true]);
      expect(await sqlOn(db.url, `SELECT count(*)::int AS n FROM pg_type WHERE typname IN ('Role_new', 'Role_old')`)).toEqual([{ n: 0 }]);
      expect((await rowsOf(db.url)).map((r) => r.migration_name)).not.toContain('20990102000000_drop_guest');
      await sqlOn(db.url, `UPDATE "members" SET "role" = 'USER'`);
      await onEnv(env, (conn) => upgrade(ctx(conn), {}));
      const row = (await rowsOf(db.url)).find((r) => r.migration_name === '20990102000000_drop_guest')!;
      expect([row.finished_at !== null, row.applied_steps_count]).toEqual([true, 1]);
      expect(await sqlOn(db.url, `SELECT enum_range(NULL::"Role")::text AS r`)).toEqual([{ r: '{USER,ADMIN}' }]);
    } finally {
      await project.remove();
    }
  });

  it("runs Prisma's enum block in the middle of a script (formbricks) with the rest in one transaction: all or nothing, and backed up", async () => {
    const project = await copyDemoProject();
    try {
      await addMigration(project.dir, '20990101000000_roles', `CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN', 'GUEST');
CREATE TABLE "members" ("id" int PRIMARY KEY, "role" "Role" NOT NULL, "nickname" TEXT);
INSERT INTO "members" VALUES (1, 'USER', 'ann'), (2, 'GUEST', 'bob');\n`);
      await addMigration(project.dir, '20990102000000_drop_guest', `ALTER TABLE "members" DROP COLUMN "nickname";

-- AlterEnum
BEGIN;
CREATE TYPE "Role_new" AS ENUM ('USER', 'ADMIN');
ALTER TABLE "members" ALTER COLUMN "role" TYPE "Role_new" USING ("role"::text::"Role_new");
ALTER TYPE "Role" RENAME TO "Role_old";
ALTER TYPE "Role_new" RENAME TO "Role";
DROP TYPE "Role_old";
COMMIT;
`, `ALTER TYPE "Role" ADD VALUE 'GUEST';
ALTER TABLE "members" ADD COLUMN "nickname" TEXT;\n`);
      const { open, env } = await projectOn(project.dir, db.url);
      const ctx = (conn: Parameters<typeof upgrade>[0]['db']) => ({ db: conn, env, folder: open.folder });
      // GUEST is still used: the cast fails, and the column dropped before the block is there again.
      const err = await onEnv(env, (conn) => upgrade(ctx(conn), {})).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MigrationFailedError);
      expect((err as MigrationFailedError).failure.rolledBack).toBe(true);
      expect(await sqlOn(db.url, 'SELECT nickname FROM members ORDER BY id')).toEqual([{ nickname: 'ann' }, { nickname: 'bob' }]);
      await sqlOn(db.url, `UPDATE "members" SET "role" = 'USER'`);
      await onEnv(env, (conn) => upgrade(ctx(conn), {}));
      expect(await sqlOn(db.url, `SELECT enum_range(NULL::"Role")::text AS r`)).toEqual([{ r: '{USER,ADMIN}' }]);
      // The dropped column was copied first: a rollback brings its values back.
      await onEnv(env, (conn) => rollback(ctx(conn), { steps: 1 }));
      expect(await sqlOn(db.url, 'SELECT nickname FROM members ORDER BY id')).toEqual([{ nickname: 'ann' }, { nickname: 'bob' }]);
    } finally {
      await project.remove();
    }
  });

  it('runs a script that opens with its own BEGIN and SET TRANSACTION ISOLATION LEVEL (langfuse) at that level, and locates a failure in it', async () => {
    const project = await copyDemoProject();
    try {
      const backfill = (body: string) => `BEGIN;
SET TRANSACTION ISOLATION LEVEL REPEATABLE READ;
-- a backfill that wants a stable snapshot
CREATE TABLE "levels" ("level" TEXT NOT NULL);
INSERT INTO "levels" SELECT current_setting('transaction_isolation');
${body}
COMMIT;\n`;
      await addMigration(project.dir, '20990101000000_backfill', backfill('SELECT 1;'));
      const { open, env } = await projectOn(project.dir, db.url);
      await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, {}));
      expect(await sqlOn(db.url, 'SELECT level FROM levels')).toEqual([{ level: 'repeatable read' }]);
      expect((await rowsOf(db.url)).find((r) => r.migration_name === '20990101000000_backfill')?.finished_at).not.toBeNull();

      // Its preview, piped into psql, runs as well.
      const other = await createTestDatabase();
      try {
        const { env: otherEnv } = await projectOn(project.dir, other.url);
        const { sql } = await onEnv(otherEnv, (conn) => previewSql(open, otherEnv, conn, { direction: 'up' }));
        await psqlStdin(other.url, sql);
        expect(await sqlOn(other.url, 'SELECT level FROM levels')).toEqual([{ level: 'repeatable read' }]);
      } finally {
        await other.drop();
      }

      // A failing statement in such a script is named, not COMMIT.
      await addMigration(project.dir, '20990102000000_backfill_again', backfill('INSERT INTO "levels" VALUES (NULL);').replace(/"levels"/, '"levels2"').replace('INSERT INTO "levels" SELECT', 'INSERT INTO "levels2" SELECT'));
      const { open: again } = await projectOn(project.dir, db.url);
      const err = await onEnv(env, (conn) => upgrade({ db: conn, env, folder: again.folder }, {})).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MigrationFailedError);
      const f = (err as MigrationFailedError).failure;
      expect([f.statementIndex, f.line, f.phase]).toEqual([5, 6, 'script']);
      expect(f.error.message).toMatch(/null value in column "level"/);
    } finally {
      await project.remove();
    }
  });

  it('up then down returns the schema dump to identical', async () => {
    const { open, env } = await projectOn(DEMO_PROJECT_DIR, db.url);
    const first = open.folder.migrations[0]!.name;
    const ctx = (conn: Parameters<typeof upgrade>[0]['db']) => ({ db: conn, env, folder: open.folder });
    await onEnv(env, (conn) => upgrade(ctx(conn), { to: first }));
    const atFirst = await schemaDump(db.url);
    await onEnv(env, (conn) => upgrade(ctx(conn), {}));
    const down = await onEnv(env, (conn) => rollback(ctx(conn), { to: first }));
    expect(down.completed).toHaveLength(DEMO_COUNT - 1);
    expect(await schemaDump(db.url)).toBe(atFirst);
    await onEnv(env, (conn) => rollback(ctx(conn), { base: true }));
    const tables = await sqlOn<{ t: string }>(db.url, "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'");
    expect(tables.map((r) => r.t)).toEqual(['_prisma_migrations']);
    expect(await rowsOf(db.url)).toEqual([]);
  });

  it('runs a migration with CREATE INDEX CONCURRENTLY outside a transaction', async () => {
    const project = await copyDemoProject();
    try {
      await addMigration(project.dir, '20990101000000_concurrent_index', 'CREATE INDEX CONCURRENTLY "patients_last_name_idx" ON "patients"("last_name");\n', 'DROP INDEX CONCURRENTLY "patients_last_name_idx";\n');
      const { open, env } = await projectOn(project.dir, db.url);
      const ctx = (conn: Parameters<typeof upgrade>[0]['db']) => ({ db: conn, env, folder: open.folder });
      await onEnv(env, (conn) => upgrade(ctx(conn), {}));
      expect(await sqlOn(db.url, "SELECT 1 FROM pg_indexes WHERE indexname = 'patients_last_name_idx'")).toHaveLength(1);
      await onEnv(env, (conn) => rollback(ctx(conn), { steps: 1 }));
      expect(await sqlOn(db.url, "SELECT 1 FROM pg_indexes WHERE indexname = 'patients_last_name_idx'")).toHaveLength(0);
    } finally {
      await project.remove();
    }
  });

  it('refuses a protected environment without its name as confirmation', async () => {
    const { open, env } = await projectOn(DEMO_PROJECT_DIR, db.url);
    const guarded = { ...env, protected: true };
    await expect(onEnv(guarded, (conn) => upgrade({ db: conn, env: guarded, folder: open.folder }, { confirm: 'prod' }))).rejects.toThrow(/protected/);
    await onEnv(guarded, (conn) => upgrade({ db: conn, env: guarded, folder: open.folder }, { confirm: guarded.name }));
    expect(await rowsOf(db.url)).toHaveLength(DEMO_COUNT);
  });

  it('waits for Prisma\'s advisory lock, then names the backend holding it (in this database, not another)', async () => {
    const { open, env } = await projectOn(DEMO_PROJECT_DIR, db.url);
    const { default: pg } = await import('pg');
    // A migration of another database on the same server holds the same key, first: it must not be the one named.
    const other = await createTestDatabase();
    const elsewhere = new pg.Client({ connectionString: other.url, application_name: 'another-database' });
    await elsewhere.connect();
    await elsewhere.query('SELECT pg_advisory_lock(72707369)');
    const holder = new pg.Client({ connectionString: db.url, application_name: 'prisma-migrate-held' });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock(72707369)');
      const pid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      const err = await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, { lockTimeoutMs: 600 })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GodwitError);
      expect((err as GodwitError).message).toContain(`backend pid ${pid} (prisma-migrate-held`);
      expect(await sqlOn(db.url, "SELECT to_regclass('users') AS t")).toEqual([{ t: null }]);
    } finally {
      await holder.end();
      await elsewhere.end();
      await other.drop();
    }
  });

  it('records who ran what in godwit.audit_log, which Prisma\'s drift check does not see', async () => {
    const { open, env } = await projectOn(DEMO_PROJECT_DIR, db.url);
    await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, {}));
    const audit = await sqlOn<{ action: string; result: string; migrations: string[]; os_user: string }>(db.url, 'SELECT action, result, migrations, os_user FROM godwit.audit_log');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'up', result: 'ok' });
    expect(audit[0]!.migrations).toHaveLength(DEMO_COUNT);
    const status = await onEnv(env, (conn) => environmentStatus(open, env, conn, { drift: true }));
    expect(status.drift).toEqual({ drifted: false, reconcileSql: null, differences: [], byKind: [], godwitForwardSql: null, cache: expect.any(String) });
  });
});
