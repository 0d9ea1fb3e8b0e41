import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { environmentStatus, openProject, resolveMigration, upgrade, type GodwitError } from '../index.ts';
import { createTestDatabase, sqlOn, type TestDatabase } from '../testing/test-database.ts';
import type { TempProject } from '../testing/temp-project.ts';
import { DEMO_COUNT, DEMO_HEAD, onEnv, projectOn, useDatabaseAndProject } from '../testing/fixtures.ts';
import { DEMO_PROJECT_DIR } from '../demo/open-demo.ts';

const fresh = useDatabaseAndProject({ beforeEach, afterEach });
let db: TestDatabase;
let project: TempProject;
beforeEach(() => {
  ({ db, project } = fresh());
});

const statusOf = async (dir: string) => {
  const { open, env } = await projectOn(dir, db.url);
  return onEnv(env, (conn) => environmentStatus(open, env, conn));
};
const upTo = async (dir: string, to?: string) => {
  const { open, env } = await projectOn(dir, db.url);
  return onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, { to }));
};
const stateMap = (s: Awaited<ReturnType<typeof statusOf>>) => Object.fromEntries(s.migrations.map((m) => [m.name, m.state]));

describe('status', () => {
  it('lists every migration as pending on an empty database, with no head', async () => {
    const s = await statusOf(project.dir);
    expect(s.head).toBeNull();
    expect(s.hasHistoryTable).toBe(false);
    expect(s.migrations.map((m) => m.state)).toEqual(Array(DEMO_COUNT).fill('pending'));
  });

  it('reports applied migrations with time, duration and checksum, and the head', async () => {
    await upTo(project.dir, '20250315090000_create_patients');
    const s = await statusOf(project.dir);
    expect(s.head).toBe('20250315090000_create_patients');
    expect(s.summary).toMatchObject({ applied: 3, pending: 5 });
    const first = s.migrations[0]!;
    expect(first).toMatchObject({ state: 'applied', checksumOk: true });
    expect(Date.parse(first.appliedAt!)).toBeGreaterThan(Date.now() - 60_000);
    expect(first.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('detects an edited migration, accepts CRLF/LF conversions, and refuses to upgrade until fixed', async () => {
    await upTo(project.dir, '20250308090000_create_sessions');
    const file = join(project.dir, 'migrations', '20250301090000_create_users', 'migration.sql');
    const original = await readFile(file, 'utf8');
    await writeFile(file, original.replace(/\n/g, '\r\n'));
    expect(stateMap(await statusOf(project.dir))['20250301090000_create_users']).toBe('applied');

    await writeFile(file, original.replace('"hashed_password" TEXT', '"password" TEXT'));
    const s = await statusOf(project.dir);
    expect(s.migrations[0]).toMatchObject({ state: 'edited', checksumOk: false });
    await expect(upTo(project.dir)).rejects.toThrow(/edited after it was applied/);
    // resolve --applied cannot record an edit: it says why, and what to do instead.
    const { open, env } = await projectOn(project.dir, db.url);
    const err = (await onEnv(env, (conn) => resolveMigration({ db: conn, env, folder: open.folder }, '20250301090000_create_users', 'applied', {})).catch((e: unknown) => e)) as GodwitError;
    expect(err.message).toBe(`Cannot mark 20250301090000_create_users applied in ${env.name}: it is already applied there, and its migration.sql was edited since: --applied would not record the edit.`);
    expect(err.hint).toMatch(/Restore the file as it was applied/);
  });

  it('reports a failed migration, blocks upgrades, and resolve --rolled-back unblocks', async () => {
    await upTo(project.dir, '20250301090000_create_users');
    await sqlOn(db.url, `INSERT INTO _prisma_migrations (id, checksum, migration_name, logs) VALUES ('00000000-0000-4000-8000-000000000001', 'x', '20250308090000_create_sessions', 'boom')`);
    expect(stateMap(await statusOf(project.dir))['20250308090000_create_sessions']).toBe('failed');
    const err = (await upTo(project.dir).catch((e: unknown) => e)) as GodwitError;
    expect(err.message).toMatch(/20250308090000_create_sessions failed/);
    expect(err.hint).toMatch(/godwit resolve --applied 20250308090000_create_sessions/);

    const { open, env } = await projectOn(project.dir, db.url);
    await onEnv(env, (conn) => resolveMigration({ db: conn, env, folder: open.folder }, '20250308090000_create_sessions', 'rolled-back', {}));
    expect(stateMap(await statusOf(project.dir))['20250308090000_create_sessions']).toBe('rolled-back');
    const report = await upTo(project.dir);
    expect(report.headAfter).toBe(DEMO_HEAD);
    expect(stateMap(await statusOf(project.dir))['20250308090000_create_sessions']).toBe('applied');
  });

  it('reports migrations applied in the database but missing locally, and divergence', async () => {
    await upTo(project.dir, '20250301090000_create_users');
    await sqlOn(db.url, `INSERT INTO _prisma_migrations (id, checksum, migration_name, finished_at, applied_steps_count) VALUES ('00000000-0000-4000-8000-000000000002', 'abc', '20250302000000_hotfix_on_prod', now(), 1)`);
    const s = await statusOf(project.dir);
    expect(s.migrations[1]).toMatchObject({ name: '20250302000000_hotfix_on_prod', state: 'missing-locally', local: false });
    expect(s.summary.diverged).toBe(true);
    expect(s.head).toBe('20250302000000_hotfix_on_prod');
  });

  it('three environments at different positions each report their own head and pending count', async () => {
    const others = [await createTestDatabase(), await createTestDatabase()];
    try {
      const open = await openProject(DEMO_PROJECT_DIR);
      const targets = [db.url, others[0]!.url, others[1]!.url];
      const positions = [DEMO_COUNT, DEMO_COUNT - 1, DEMO_COUNT - 3];
      const results = [];
      for (const [i, url] of targets.entries()) {
        const { env } = await projectOn(DEMO_PROJECT_DIR, url);
        const to = open.folder.migrations[positions[i]! - 1]!.name;
        await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, { to }));
        results.push(await onEnv(env, (conn) => environmentStatus(open, env, conn)));
      }
      expect(results.map((r) => r.head)).toEqual(positions.map((p) => open.folder.migrations[p - 1]!.name));
      expect(results.map((r) => r.summary.pending)).toEqual([0, 1, 3]);
    } finally {
      await Promise.all(others.map((o) => o.drop()));
    }
  });
});
