import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { GodwitService } from '../service/godwit-service.ts';
import { SettingsStore } from '../service/settings-store.ts';
import { addMigration, DEMO_HEAD } from '../testing/fixtures.ts';
import { databasesLike, sqlOn } from '../testing/test-database.ts';
import { useDatabaseAndProject } from '../testing/fixtures.ts';

const current = useDatabaseAndProject({ beforeEach, afterEach });
let service: GodwitService;
let dataDir: string;
let blocker: pg.Client | undefined;
const previous = process.env.GODWIT_DATA_DIR;

beforeEach(async () => {
  const { db, project } = current();
  await writeFile(join(project.dir, 'godwit.json'), JSON.stringify({ environments: { dev: { url: db.url }, prod: { url: db.url, protected: true } } }));
  dataDir = await mkdtemp(join(tmpdir(), 'godwit-preflight-'));
  process.env.GODWIT_DATA_DIR = dataDir;
  service = new GodwitService({ settings: new SettingsStore(join(dataDir, 'settings.json')) });
  await service.call('project/open', { dir: project.dir });
  // dev and prod are one database here, so dev is protected as prod is (environments.ts): its name confirms.
  await service.call('migrations/apply', { env: 'dev', to: DEMO_HEAD, runId: 'setup', confirm: 'dev' });
  await sqlOn(db.url, `INSERT INTO patients (email, first_name, last_name, date_of_birth, phone_number) VALUES
    ('a@x', 'A', 'L', DATE '2000-01-01', '1'), ('b@x', 'B', 'L', DATE '2000-01-01', '2'), ('c@x', 'C', 'L', DATE '2000-01-01', '3')`);
});
afterEach(async () => {
  await blocker?.end().catch(() => undefined);
  blocker = undefined;
  await service.close();
  process.env.GODWIT_DATA_DIR = previous;
  await rm(dataDir, { recursive: true, force: true });
});

describe('the service operations', () => {
  it('migrations/preflight reports the blocker; migrations/apply on prod is refused and audited until it ends (or ignoreBlockers)', async () => {
    const { db, project } = current();
    await addMigration(project.dir, '20250501090000_token', 'ALTER TABLE "patients" ADD COLUMN "token" DOUBLE PRECISION DEFAULT random();');
    await service.call('project/open', { dir: project.dir });
    blocker = new pg.Client({ connectionString: db.url, application_name: 'dashboard' });
    await blocker.connect();
    const pid = (await blocker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    await blocker.query('BEGIN');
    await blocker.query('SELECT * FROM patients');

    const report = await service.call('migrations/preflight', { env: 'prod' });
    expect(report.blockers.map((b) => [b.pid, b.application, b.query])).toEqual([[pid, 'dashboard', 'SELECT * FROM patients']]);
    expect(report.clear).toBe(false);

    await expect(service.call('migrations/apply', { env: 'prod', confirm: 'prod', runId: 'r1' })).rejects.toMatchObject({ code: 'blockers-present' });
    await expect(service.call('migrations/apply', { env: 'prod', runId: 'r1' })).rejects.toMatchObject({ code: 'confirmation-required' });
    await expect(service.call('migrations/apply', { env: 'prod', runId: 'r1', ignoreBlockers: true })).rejects.toMatchObject({ code: 'confirmation-required' });
    const audit = await sqlOn<{ environment: string; result: string; error: string }>(db.url, "SELECT environment, result, error FROM godwit.audit_log WHERE environment = 'prod' ORDER BY id");
    expect(audit[0]).toMatchObject({ environment: 'prod', result: 'failed' });
    expect(audit[0]!.error).toContain(`pid ${pid}`);
    // Nothing ran.
    expect(await sqlOn(db.url, "SELECT 1 FROM _prisma_migrations WHERE migration_name = '20250501090000_token'")).toEqual([]);

    await blocker.query('ROLLBACK');
    const ran = await service.call('migrations/apply', { env: 'prod', confirm: 'prod', runId: 'r2' });
    expect(ran.completed.map((c) => c.name)).toEqual(['20250501090000_token']);
  });

  it('migrations/preflight counts NULLs; migrations/rehearse reports the rewrite and drops its clone', async () => {
    const { db, project } = current();
    await sqlOn(db.url, "ALTER TABLE patients ALTER COLUMN phone_number DROP NOT NULL; UPDATE patients SET phone_number = NULL WHERE email IN ('a@x', 'b@x')");
    await addMigration(project.dir, '20250501090000_require', 'ALTER TABLE "patients" ALTER COLUMN "phone_number" SET NOT NULL;\nALTER TABLE "patients" ALTER COLUMN "id" TYPE BIGINT;');
    await service.call('project/open', { dir: project.dir });
    const report = await service.call('migrations/preflight', { env: 'dev' });
    expect(report.dataChecks.map((c) => [c.kind, c.status, c.count])).toEqual([['not-null', 'violations', 2], ['type-cast', 'ok', 0]]);

    // Schema only: the clone is empty, so SET NOT NULL passes there, and the type change rewrites the table.
    const rehearsal = await service.call('migrations/rehearse', { env: 'dev' });
    expect(rehearsal.ok).toBe(true);
    expect(rehearsal.migrations[0]!.statements.map((s) => s.observed?.rewritten)).toEqual([[], ['patients']]);
    expect(rehearsal.clone).toMatchObject({ dropped: true, schemaSource: 'pg_dump' });
    // With rows, the NULLs make it fail on the clone as it would on the environment.
    const sampled = await service.call('migrations/rehearse', { env: 'dev', sample: 10 });
    expect(sampled.ok).toBe(false);
    expect(sampled.migrations[0]!.statements.map((s) => s.status)).toEqual(['failed', 'not-run']);
    expect(sampled.migrations[0]!.statements[0]!.error).toMatchObject({ code: '23502' });
    expect(await databasesLike(sampled.clone!.database)).toEqual([]);
    expect(await databasesLike(rehearsal.clone!.database)).toEqual([]);
  });
});
