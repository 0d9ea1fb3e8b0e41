import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { environmentStatus, MigrationFailedError, upgrade } from '../index.ts';
import { createTestDatabase, sqlOn, type TestDatabase } from '../testing/test-database.ts';
import { copyDemoProject, type TempProject } from '../testing/temp-project.ts';
import { addMigration, DEMO_HEAD, onEnv, projectOn } from '../testing/fixtures.ts';

let db: TestDatabase;
let project: TempProject;
let blocker: pg.Client;
let blockerPid: number;
beforeEach(async () => {
  db = await createTestDatabase();
  project = await copyDemoProject();
  await addMigration(project.dir, '20990101000000_add_column', 'ALTER TABLE "patients" ADD COLUMN "nickname" text;\n');
  const { open, env } = await projectOn(project.dir, db.url);
  await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, { to: DEMO_HEAD }));
  // A session in an open transaction that read the table: it holds ACCESS SHARE until it ends.
  blocker = new pg.Client({ connectionString: db.url, application_name: 'long-report' });
  await blocker.connect();
  blockerPid = (await blocker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  await blocker.query('BEGIN; SELECT count(*) FROM "patients";');
});
afterEach(async () => {
  await blocker.end().catch(() => undefined);
  await db.drop();
  await project.remove();
});

/** Plain reads of the table, one after the other, each one's wait measured, until `until` settles. */
async function readWhile(until: Promise<unknown>): Promise<number[]> {
  const reader = new pg.Client({ connectionString: db.url, application_name: 'reader' });
  await reader.connect();
  let settled = false;
  void until.finally(() => (settled = true)).catch(() => undefined);
  const waits: number[] = [];
  try {
    while (!settled) {
      const t = performance.now();
      await reader.query('SELECT count(*) FROM "patients"');
      waits.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await reader.end();
  }
  return waits;
}

const LOCK_TIMEOUT_MS = 500;
/** Generous: a loaded CI machine may be slow to schedule the reader, never by seconds. */
const MARGIN_MS = 2500;

describe('lock_timeout with bounded retry', () => {
  it('never lets a migration queue readers for longer than the lock timeout, and stops pending with the blocker named', async () => {
    const { open, env } = await projectOn(project.dir, db.url);
    const retries: number[] = [];
    const run = onEnv(env, (conn) =>
      upgrade({ db: conn, env, folder: open.folder }, { limits: { lockTimeoutMs: LOCK_TIMEOUT_MS, lockAttempts: 3, retryBackoffMs: 200 }, onLockRetry: (e) => retries.push(e.attempt) }),
    );
    const [waits, err] = await Promise.all([readWhile(run), run.catch((e: unknown) => e)]);

    expect(err).toBeInstanceOf(MigrationFailedError);
    const f = (err as MigrationFailedError).failure;
    expect(f.migration).toBe('20990101000000_add_column');
    expect(f.error.code).toBe('55P03');
    expect(f.rolledBack).toBe(true);
    expect(retries).toEqual([2, 3]);
    expect(f.blockers?.map((b) => b.pid)).toEqual([blockerPid]);
    expect((err as Error).message).toContain('It is still pending: on each of 3 attempt(s) it waited more than 0.5 s for a lock');
    expect((err as Error).message).toContain(`Blocked by pid ${blockerPid} (user postgres, long-report, idle in transaction for`);
    expect((err as Error).message).toContain('SELECT count(*) FROM "patients"');
    expect((err as Error).message).not.toMatch(/statement 0|COMMIT/);

    // Readers waited behind the migration's ALTER at most about the lock timeout each time.
    expect(waits.length).toBeGreaterThan(3);
    expect(Math.max(...waits)).toBeLessThan(LOCK_TIMEOUT_MS + MARGIN_MS);

    // Nothing applied: no history row, no column, the migration pending.
    expect(await sqlOn(db.url, "SELECT 1 FROM _prisma_migrations WHERE migration_name = '20990101000000_add_column'")).toEqual([]);
    expect(await sqlOn(db.url, "SELECT 1 FROM information_schema.columns WHERE table_name = 'patients' AND column_name = 'nickname'")).toEqual([]);
    await blocker.query('COMMIT');
    const status = await onEnv(env, (conn) => environmentStatus(open, env, conn));
    expect(status.migrations.at(-1)).toMatchObject({ name: '20990101000000_add_column', state: 'pending' });
  });

  it('succeeds on a retry once the blocker is gone, and every statement of the run ran under lock_timeout', async () => {
    const { open, env } = await projectOn(project.dir, db.url);
    const retries: number[] = [];
    const report = await onEnv(env, async (conn) => {
      const r = await upgrade(
        { db: conn, env, folder: open.folder },
        {
          limits: { lockTimeoutMs: LOCK_TIMEOUT_MS, lockAttempts: 5, retryBackoffMs: 200 },
          onLockRetry: (e) => {
            retries.push(e.attempt);
            if (e.attempt === 2) void blocker.query('COMMIT'); // the long transaction ends between two attempts
          },
        },
      );
      expect(await conn.query('SHOW lock_timeout')).toEqual([{ lock_timeout: '500ms' }]);
      return r;
    });
    expect(retries[0]).toBe(2);
    expect(retries.length).toBeLessThan(4);
    expect(report.completed.map((c) => c.name)).toEqual(['20990101000000_add_column']);
    expect(await sqlOn(db.url, "SELECT applied_steps_count FROM _prisma_migrations WHERE migration_name = '20990101000000_add_column'")).toEqual([{ applied_steps_count: 1 }]);
    expect(await sqlOn(db.url, "SELECT 1 FROM information_schema.columns WHERE table_name = 'patients' AND column_name = 'nickname'")).toHaveLength(1);
  });

  it('counts a lock timeout inside a batch as an attempt: still exactly lockAttempts tries', async () => {
    // Quick migrations before the blocked one: it may be sent in a batch with them (or alone, under load): the same bound.
    await addMigration(project.dir, '20990100000001_quick_a', 'CREATE TABLE "qa" (id int);\n');
    await addMigration(project.dir, '20990100000002_quick_b', 'CREATE TABLE "qb" (id int);\n');
    const { open, env } = await projectOn(project.dir, db.url);
    const retries: number[] = [];
    const err = await onEnv(env, (conn) =>
      upgrade({ db: conn, env, folder: open.folder }, { limits: { lockTimeoutMs: 300, lockAttempts: 3, retryBackoffMs: 100 }, onLockRetry: (e) => retries.push(e.attempt) }),
    ).catch((e: unknown) => e);
    expect(retries).toEqual([2, 3]);
    expect((err as Error).message).toContain('on each of 3 attempt(s)');
    expect((await sqlOn<{ n: string }>(db.url, "SELECT migration_name AS n FROM _prisma_migrations WHERE migration_name LIKE '2099%' ORDER BY 1")).map((r) => r.n)).toEqual(['20990100000001_quick_a', '20990100000002_quick_b']);
  });

  it('takes lockTimeout, statementTimeout and lockAttempts from godwit.json', async () => {
    const { writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { openProject, selectEnvironments } = await import('../index.ts');
    await writeFile(join(project.dir, 'godwit.json'), JSON.stringify({ environments: { dev: { url: db.url, lockTimeout: '300ms', statementTimeout: 60, lockAttempts: 1 } } }));
    const open = await openProject(project.dir);
    const [env] = selectEnvironments(open.project, { env: ['dev'] });
    expect(env!.limits).toEqual({ lockTimeoutMs: 300, statementTimeoutMs: 60_000, lockAttempts: 1 });
    const err = await onEnv(env!, async (conn) => {
      const e = await upgrade({ db: conn, env: env!, folder: open.folder }, {}).catch((x: unknown) => x);
      expect(await conn.query("SELECT current_setting('lock_timeout') AS l, current_setting('statement_timeout') AS s")).toEqual([{ l: '300ms', s: '1min' }]);
      return e;
    });
    expect((err as Error).message).toContain('on each of 1 attempt(s) it waited more than 0.3 s');
    await writeFile(join(project.dir, 'godwit.json'), JSON.stringify({ environments: { dev: { url: db.url, lockTimeout: '5 s' } } }));
    const bad = await openProject(project.dir);
    expect(() => selectEnvironments(bad.project, { env: ['dev'] })).toThrow('Environment "dev": lockTimeout takes seconds (digits, e.g. 5 or 0.5) or a duration like 500ms, 5s, 2min; not "5 s".');
  });
});
