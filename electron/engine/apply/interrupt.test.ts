import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { environmentStatus, openProject, upgrade, type Environment } from '../index.ts';
import { createTestDatabase, sqlOn, type TestDatabase } from '../testing/test-database.ts';
import { copyDemoProject, type TempProject } from '../testing/temp-project.ts';
import { addMigration, DEMO_COUNT, DEMO_HEAD, onEnv, projectOn } from '../testing/fixtures.ts';
import { RunInterruptedError } from './interrupt.ts';

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

/** Resolves once the migrating session sleeps in pg_sleep (its statement is running). */
async function sleeping(url: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if ((await sqlOn(url, "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'PgSleep' AND application_name = 'godwit'")).length) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('interrupting a run', () => {
  it('a statement-by-statement migration cancelled mid-way: the sentence says which statements stay, as the history does', async () => {
    await addMigration(project.dir, '20990101000000_outside', 'CREATE TABLE "nt_a" (id int);\nCREATE INDEX CONCURRENTLY "nt_idx" ON "nt_a"(id);\nSELECT pg_sleep(30);\n');
    const { open, env } = await projectOn(project.dir, db.url);
    const abort = new AbortController();
    const run = onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, { signal: abort.signal })).catch((e: unknown) => e);
    await sleeping(db.url);
    abort.abort();
    const err = await run;
    expect(err).toBeInstanceOf(RunInterruptedError);
    expect((err as Error).message).toBe(
      `Interrupted: 20990101000000_outside was cancelled (${DEMO_COUNT} migrations applied before it); url is at ${DEMO_HEAD}. Statements 1–2 ran outside a transaction and stay applied: the migration is half applied and marked failed in the history (the error in its logs). Finish or undo it by hand, then run godwit resolve --applied 20990101000000_outside or --rolled-back 20990101000000_outside.`,
    );
    const status = await onEnv(env, (conn) => environmentStatus(open, env, conn));
    expect(status.migrations.at(-1)).toMatchObject({ name: '20990101000000_outside', state: 'failed' });
    expect(status.migrations.at(-1)!.logs).toContain('canceling statement due to user request');
    const audit = await sqlOn<{ result: string; error: string }>(db.url, 'SELECT result, error FROM godwit.audit_log');
    expect(audit).toEqual([{ result: 'failed', error: (err as Error).message }]);
  });

  it('on an embedded database (nothing to cancel) the running migration finishes and nothing more starts', async () => {
    const env: Environment = { name: 'embedded-test', protected: false, display: 'embedded:test', target: { kind: 'embedded', name: 'test', dataDir: 'memory://' } };
    const open = await openProject(project.dir);
    const abort = new AbortController();
    await onEnv(env, async (conn) => {
      const err = await upgrade({ db: conn, env, folder: open.folder }, { signal: abort.signal, onProgress: (e) => e.type === 'done' && abort.abort() }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RunInterruptedError);
      const first = open.folder.migrations[0]!.name;
      expect((err as Error).message).toBe(`Interrupted after 1 migration applied (${first}), each committed whole; embedded-test is at ${first}, ${DEMO_COUNT - 1} migrations not run.`);
      expect(await conn.query('SELECT migration_name FROM _prisma_migrations')).toEqual([{ migration_name: first }]);
      expect(await conn.query('SELECT result, error FROM godwit.audit_log')).toEqual([{ result: 'failed', error: (err as Error).message }]);
    });
  });
});
