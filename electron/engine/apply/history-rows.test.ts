import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { environmentStatus, MigrationFailedError, rollback, upgrade, type Db, type Environment, type ProgressEvent } from '../index.ts';
import { createTestDatabase, sqlOn, type TestDatabase } from '../testing/test-database.ts';
import { copyDemoProject, type TempProject } from '../testing/temp-project.ts';
import { addMigration, DEMO_COUNT, DEMO_HEAD, onEnv, projectOn } from '../testing/fixtures.ts';
import { resolveHistoryTable } from '../history/history-table.ts';
import { prepareScript } from '../sql/prepare-script.ts';
import { runBatch, upTransaction } from './run-migration.ts';
import { openProject } from '../index.ts';
import type { HistoryRow } from '../history/history-table.ts';

let db: TestDatabase;
let project: TempProject;
beforeEach(async () => {
  db = await createTestDatabase();
  project = await copyDemoProject();
});
afterEach(async () => {
  await db.drop();
  await project.remove();
});

const historyOf = (conn: Db, schema = 'public') => conn.query<HistoryRow>(`SELECT * FROM "${schema}"."_prisma_migrations" ORDER BY started_at, migration_name`);
const ms = (d: Date) => new Date(d).getTime();

/** An embedded (PGlite) environment in memory: one session for the whole test, as the app keeps it. */
const embedded: Environment = { name: 'embedded-test', protected: false, display: 'embedded:test', target: { kind: 'embedded', name: 'test', dataDir: 'memory://' } };

/** Runs `fn` on PostgreSQL (a fresh database) and on PGlite, with the project as it is on disk now. */
async function onBoth(fn: (conn: Db, env: Environment, kind: string) => Promise<void>): Promise<void> {
  const { env } = await projectOn(project.dir, db.url);
  await onEnv(env, (conn) => fn(conn, env, 'postgres'));
  await onEnv(embedded, (conn) => fn(conn, embedded, 'pglite'));
}

describe('history rows', () => {
  it('gives each migration of a one-round-trip batch its own started_at and duration', async () => {
    for (const n of [1, 2, 3]) await addMigration(project.dir, `2099010${n}000000_sleep_${n}`, `CREATE TABLE "slept_${n}" (id int);\nSELECT pg_sleep(0.2);\n`);
    const { open, env } = await projectOn(project.dir, db.url);
    const sleepers = open.folder.migrations.filter((m) => m.name.includes('_sleep_'));
    await onEnv(env, async (conn) => {
      await upgrade({ db: conn, env, folder: open.folder }, { to: DEMO_HEAD });
      // Exactly what a run sends for a batch: three transactions in one message.
      const opts = { historyTable: await resolveHistoryTable(conn), restoreSql: 'RESET ALL;' };
      const sent: string[] = [];
      const counting = { ...conn, queryBatch: (sql: string) => (sent.push(sql), conn.queryBatch(sql)) };
      const outcome = await runBatch(counting, sleepers.map((m) => upTransaction(m, prepareScript(m.upSql), opts)), opts, async () => new Set());
      expect(sent).toHaveLength(1);
      expect(outcome.ok).toBe(true);
      const rows = (await historyOf(conn)).filter((r) => r.migration_name.includes('_sleep_'));
      expect(rows.map((r) => r.migration_name)).toEqual(sleepers.map((m) => m.name));
      for (const [k, row] of rows.entries()) {
        const own = ms(row.finished_at!) - ms(row.started_at);
        // Its own pg_sleep(0.2), and it began only after the one before it finished: durations are not cumulative.
        expect(own).toBeGreaterThanOrEqual(200);
        if (k > 0) expect(ms(row.started_at)).toBeGreaterThanOrEqual(ms(rows[k - 1]!.finished_at!));
        // The duration the batch reports (for the progress line) is the row's own.
        expect(Math.abs((outcome.ok ? outcome.outcomes.get(row.migration_name)!.durationMs! : NaN) - own)).toBeLessThanOrEqual(1);
      }
      // The third one's duration is its own, not the sum since the message arrived.
      expect(ms(rows[2]!.finished_at!) - ms(rows[2]!.started_at)).toBeLessThan(ms(rows[2]!.finished_at!) - ms(rows[0]!.started_at) - 300);
    });
  });

  it('keeps the history in order when a migration of a batch runs RESET ALL (which loses its recorded start)', async () => {
    await addMigration(project.dir, '20990101000000_sleep_first', 'SELECT pg_sleep(0.2);\n');
    await addMigration(project.dir, '20990102000000_resets', 'RESET ALL;\nSELECT pg_sleep(0.1);\n');
    await addMigration(project.dir, '20990103000000_sleep_last', 'SELECT pg_sleep(0.1);\n');
    const { open, env } = await projectOn(project.dir, db.url);
    const added = open.folder.migrations.filter((m) => m.name.startsWith('2099'));
    await onEnv(env, async (conn) => {
      await upgrade({ db: conn, env, folder: open.folder }, { to: DEMO_HEAD });
      const opts = { historyTable: await resolveHistoryTable(conn), restoreSql: 'RESET ALL;' };
      const outcome = await runBatch(conn, added.map((m) => upTransaction(m, prepareScript(m.upSql), opts)), opts, async () => new Set());
      expect(outcome.ok).toBe(true);
      const rows = (await historyOf(conn)).filter((r) => r.migration_name.startsWith('2099'));
      expect(rows.map((r) => r.migration_name)).toEqual(added.map((m) => m.name));
      for (const k of [1, 2]) expect(ms(rows[k]!.started_at)).toBeGreaterThanOrEqual(ms(rows[k - 1]!.finished_at!));
      expect(ms(rows[2]!.finished_at!) - ms(rows[2]!.started_at)).toBeGreaterThanOrEqual(100);
    });
  });

  it('reports each migration\'s own server duration in the progress events of a run', async () => {
    for (const n of [1, 2]) await addMigration(project.dir, `2099010${n}000000_sleep_${n}`, `SELECT pg_sleep(0.2);\n`);
    const { open, env } = await projectOn(project.dir, db.url);
    const events: ProgressEvent[] = [];
    await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, { onProgress: (e) => events.push(e) }));
    const rows = await sqlOn<HistoryRow>(db.url, 'SELECT * FROM _prisma_migrations ORDER BY migration_name');
    expect(rows).toHaveLength(DEMO_COUNT + 2);
    for (const row of rows) {
      const done = events.find((e) => e.type === 'done' && e.name === row.migration_name) as Extract<ProgressEvent, { type: 'done' }>;
      expect(Math.abs(done.durationMs - (ms(row.finished_at!) - ms(row.started_at))), row.migration_name).toBeLessThanOrEqual(1);
    }
  });

  it('records the history in its own schema after a migration runs SET search_path, and restores the session', async () => {
    await addMigration(project.dir, '20990101000000_app_schema', 'CREATE SCHEMA app;\nSET search_path TO app;\nCREATE TABLE "in_app" (id int);\n');
    await addMigration(project.dir, '20990102000000_after', 'CREATE TABLE "after_reset" (id int);\n');
    await addMigration(project.dir, '20990103000000_concurrent', 'SET search_path TO app;\nCREATE INDEX CONCURRENTLY "in_app_idx" ON "in_app"(id);\n');
    await addMigration(project.dir, '20990104000000_last', 'CREATE TABLE "last_one" (id int);\n');
    const open = await openProject(project.dir);
    await onBoth(async (conn, env, kind) => {
      const report = await upgrade({ db: conn, env, folder: open.folder }, {});
      expect(report.completed, kind).toHaveLength(DEMO_COUNT + 4);
      const names = (await historyOf(conn)).map((r) => r.migration_name);
      expect(names.slice(-4), kind).toEqual(['20990101000000_app_schema', '20990102000000_after', '20990103000000_concurrent', '20990104000000_last']);
      const where = await conn.query<{ t: string | null; n: string | null }>(
        "SELECT to_regclass('app.in_app')::text AS t, (SELECT string_agg(n.nspname || '.' || c.relname, ',' ORDER BY n.nspname || '.' || c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname IN ('after_reset', 'last_one', '_prisma_migrations', 'in_app_idx')) AS n",
      );
      // The migrations after each SET ran with the session's own search_path again.
      expect(where[0], kind).toEqual({ t: 'app.in_app', n: 'app.in_app_idx,public._prisma_migrations,public.after_reset,public.last_one' });
      const status = await environmentStatus(open, env, conn);
      expect(status.migrations.every((m) => m.state === 'applied'), kind).toBe(true);
    });
  });

  it('says when the history bookkeeping fails, never "statement 0 … COMMIT"; the preview names the table with its schema', async () => {
    await addMigration(project.dir, '20990101000000_drops_history', 'CREATE TABLE "x" (id int);\nDROP TABLE "_prisma_migrations";\n');
    const { open, env } = await projectOn(project.dir, db.url);
    await onEnv(env, async (conn) => {
      const { previewSql } = await import('../index.ts');
      const { sql } = await previewSql(open, env, conn, { direction: 'up' });
      expect(sql).toContain('INSERT INTO "public"."_prisma_migrations"');
      expect(sql).toContain('COMMIT;\nRESET ALL;');
      const err = await upgrade({ db: conn, env, folder: open.folder }, {}).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MigrationFailedError);
      expect((err as Error).message).toMatch(/^20990101000000_drops_history\/migration\.sql failed while recording it in _prisma_migrations: relation "public\._prisma_migrations" does not exist\. It was rolled back/);
      expect((err as MigrationFailedError).failure.phase).toBe('history');
      expect(await conn.query("SELECT to_regclass('x')::text AS x, to_regclass('_prisma_migrations')::text AS h")).toEqual([{ x: null, h: '_prisma_migrations' }]);
    });
  });

  it("a migration wrapped in its own BEGIN … COMMIT that fails: it ran in Godwit's transaction, so it leaves no trace, like any other", async () => {
    await addMigration(project.dir, '20990101000000_own_tx', 'BEGIN;\nCREATE TABLE "own_a" (id int);\nCREATE TABLE "users" (x int);\nCOMMIT;\n');
    const open = await openProject(project.dir);
    await onBoth(async (conn, env, kind) => {
      const err = await upgrade({ db: conn, env, folder: open.folder }, {}).catch((e: unknown) => e);
      expect(err, kind).toBeInstanceOf(MigrationFailedError);
      const f = (err as MigrationFailedError).failure;
      expect(f, kind).toMatchObject({ migration: '20990101000000_own_tx', statementIndex: 3, line: 3, rolledBack: true });
      expect((err as Error).message, kind).toContain('It was rolled back: the database is as it was before this migration.');
      // The session is usable at once (PGlite has no other): no "current transaction is aborted".
      expect(await conn.query("SELECT to_regclass('own_a')::text AS t"), kind).toEqual([{ t: null }]);
      expect((await historyOf(conn)).filter((r) => r.migration_name === '20990101000000_own_tx'), kind).toEqual([]);
      const status = await environmentStatus(open, env, conn);
      expect(status.migrations.find((m) => m.name === '20990101000000_own_tx')?.state, kind).toBe('pending');
    });
  });

  it('a migration whose own transaction fails after autocommitted statements: those stay, and the history says failed', async () => {
    // CONCURRENTLY keeps it statement by statement (a script whose only transaction control is its own BEGIN … COMMIT
    // blocks runs whole in Godwit's transaction instead).
    await addMigration(project.dir, '20990101000000_half', 'CREATE TABLE "kept" (id int);\nCREATE INDEX CONCURRENTLY "kept_id" ON "kept" (id);\nBEGIN;\nCREATE TABLE "own_b" (id int);\nCREATE TABLE "users" (x int);\nCOMMIT;\n');
    const open = await openProject(project.dir);
    await onBoth(async (conn, env, kind) => {
      const err = await upgrade({ db: conn, env, folder: open.folder }, {}).catch((e: unknown) => e);
      expect(err, kind).toBeInstanceOf(MigrationFailedError);
      const f = (err as MigrationFailedError).failure;
      expect(f.rolledBack, kind).toBe(false);
      expect(f.outcome, kind).toMatch(/^Statements 1–2 ran outside a transaction and stay applied; statement 4 ran in the script's own transaction and was rolled back: the migration is half applied and marked failed/);
      expect(await conn.query("SELECT to_regclass('kept')::text AS k, to_regclass('own_b')::text AS o"), kind).toEqual([{ k: 'kept', o: null }]);
      const status = await environmentStatus(open, env, conn);
      const m = status.migrations.find((x) => x.name === '20990101000000_half');
      expect(m?.state, kind).toBe('failed');
      expect(m?.logs, kind).toContain(f.outcome);
    });
  });

  it('a script whose BEGIN has no COMMIT: that transaction is rolled back at once and said so, not left open', async () => {
    await addMigration(project.dir, '20990101000000_no_commit', 'CREATE TABLE "nc_a" (id int);\nBEGIN;\nCREATE TABLE "nc_b" (id int);\n');
    const open = await openProject(project.dir);
    await onBoth(async (conn, env, kind) => {
      const err = await upgrade({ db: conn, env, folder: open.folder }, {}).catch((e: unknown) => e);
      const f = (err as MigrationFailedError).failure;
      expect(f, kind).toMatchObject({ statementIndex: 2, statement: 'BEGIN', rolledBack: false });
      expect(f.error.message, kind).toContain('this BEGIN has no COMMIT');
      expect(f.outcome, kind).toMatch(/^Statement 1 ran outside a transaction and stays applied; statement 3 ran in the script's own transaction and was rolled back/);
      expect(await conn.query("SELECT to_regclass('nc_a')::text AS a, to_regclass('nc_b')::text AS b"), kind).toEqual([{ a: 'nc_a', b: null }]);
      const status = await environmentStatus(open, env, conn);
      expect(status.migrations.at(-1), kind).toMatchObject({ name: '20990101000000_no_commit', state: 'failed' });
    });
  });

  it('a non-transactional down.sql that fails halfway leaves the history saying failed, as the message does', async () => {
    await addMigration(
      project.dir,
      '20990101000000_two_tables',
      'CREATE TABLE "d1" (id int);\nCREATE TABLE "d2" (id int);\n',
      'DROP TABLE "d1";\nDROP INDEX CONCURRENTLY "no_such_index";\nDROP TABLE "d2";\n',
    );
    await addMigration(project.dir, '20990102000000_three', 'CREATE TABLE "d3" (id int);\n', 'DROP INDEX CONCURRENTLY "no_such_index";\nDROP TABLE "d3";\n');
    const open = await openProject(project.dir);
    await onBoth(async (conn, env, kind) => {
      await upgrade({ db: conn, env, folder: open.folder }, {});
      // Fails at its first statement: nothing of down.sql took effect, and the migration is still applied.
      const first = await rollback({ db: conn, env, folder: open.folder }, { steps: 1 }).catch((e: unknown) => e);
      expect(first, kind).toBeInstanceOf(MigrationFailedError);
      expect((first as MigrationFailedError).failure.outcome, kind).toBe('Nothing of down.sql is applied: the migration is still applied.');
      let status = await environmentStatus(open, env, conn);
      expect(status.migrations.find((x) => x.name === '20990102000000_three')?.state, kind).toBe('applied');

      await conn.exec('CREATE INDEX "no_such_index" ON "d3"(id)'); // let the newest one's down.sql succeed
      await rollback({ db: conn, env, folder: open.folder }, { steps: 1 });
      const err = await rollback({ db: conn, env, folder: open.folder }, { steps: 1 }).catch((e: unknown) => e);
      expect(err, kind).toBeInstanceOf(MigrationFailedError);
      const f = (err as MigrationFailedError).failure;
      expect(f, kind).toMatchObject({ migration: '20990101000000_two_tables', file: 'down.sql', statementIndex: 2, rolledBack: false });
      expect(f.outcome, kind).toMatch(/^Statement 1 ran outside a transaction and stays applied \(of down\.sql\): the migration is half rolled back and marked failed/);
      expect(await conn.query("SELECT to_regclass('d1')::text AS d1, to_regclass('d2')::text AS d2"), kind).toEqual([{ d1: null, d2: 'd2' }]);
      status = await environmentStatus(open, env, conn);
      const m = status.migrations.find((x) => x.name === '20990101000000_two_tables');
      expect(m?.state, kind).toBe('failed');
      expect(m?.logs, kind).toContain(f.outcome);
      expect(m?.logs, kind).toContain('It had been applied at');
    });
  });

  it('a failed CREATE UNIQUE INDEX CONCURRENTLY says it may have left an INVALID index, and the history says failed', async () => {
    await addMigration(project.dir, '20990101000000_dupes', 'CREATE TABLE "dupes" (v int);\nINSERT INTO "dupes" VALUES (1), (1);\n');
    await addMigration(project.dir, '20990102000000_unique', 'CREATE UNIQUE INDEX CONCURRENTLY "dupes_v_key" ON "dupes"(v);\n');
    const { open, env } = await projectOn(project.dir, db.url);
    await onEnv(env, async (conn) => {
      const err = await upgrade({ db: conn, env, folder: open.folder }, {}).catch((e: unknown) => e);
      const f = (err as MigrationFailedError).failure;
      expect(f.error.code).toBe('23505');
      expect(f.outcome).toMatch(/^The failed statement 1 may have left an INVALID index behind .*: the migration is half applied and marked failed/);
      expect(await conn.query("SELECT i.indisvalid AS valid FROM pg_index i WHERE i.indexrelid = to_regclass('dupes_v_key')")).toEqual([{ valid: false }]);
      const status = await environmentStatus(open, env, conn);
      expect(status.migrations.at(-1)).toMatchObject({ name: '20990102000000_unique', state: 'failed' });
    });
  });

  it('refuses --steps beyond what is applied, saying how many are', async () => {
    const { open, env } = await projectOn(project.dir, db.url);
    await onEnv(env, async (conn) => {
      await upgrade({ db: conn, env, folder: open.folder }, {});
      const err = await rollback({ db: conn, env, folder: open.folder }, { steps: 999 }).catch((e: unknown) => e);
      expect((err as Error).message).toBe(`Cannot roll back 999 migration(s) in ${env.name}: only ${DEMO_COUNT} are applied.`);
      expect((await historyOf(conn)).length).toBe(DEMO_COUNT);
    });
  });

  it('a rollback forgets every history row of each migration it undoes (older rolled-back attempts too), and no other row', async () => {
    await onBoth(async (conn, env) => {
      const { open } = await projectOn(project.dir, db.url);
      await upgrade({ db: conn, env, folder: open.folder }, {});
      // An earlier attempt of the head migration, rolled back long ago (as `godwit resolve --rolled-back` leaves it).
      await conn.exec(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, rolled_back_at, applied_steps_count)
        VALUES ('00000000-0000-0000-0000-000000000001', 'x', '${DEMO_HEAD}', now() - interval '1 day', now() - interval '1 day', 0)`);
      const before = await historyOf(conn);
      await rollback({ db: conn, env, folder: open.folder }, { steps: 2 });
      const after = await historyOf(conn);
      // The two newest applied migrations (the rolled-back attempt is the oldest row: started a day ago).
      const undone = new Set(before.slice(-2).map((r) => r.migration_name));
      expect(undone.has(DEMO_HEAD)).toBe(true);
      expect(after.some((r) => r.migration_name === DEMO_HEAD)).toBe(false);
      expect(after.map((r) => r.id)).toEqual(before.filter((r) => !undone.has(r.migration_name)).map((r) => r.id));
      expect(after).toHaveLength(DEMO_COUNT - 2);
    });
  });
});
