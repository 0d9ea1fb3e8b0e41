import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProgressEventDto } from '../../shared/contract.ts';
import { createTestDatabase, sqlOn, type TestDatabase } from '../testing/test-database.ts';
import { copyDemoProject } from '../testing/temp-project.ts';
import { addMigration, DEMO_COUNT, DEMO_HEAD } from '../testing/fixtures.ts';
import { unpackStatuses } from '../../shared/status-packing.ts';
import { GodwitService } from './godwit-service.ts';
import { SettingsStore } from './settings-store.ts';

let db: TestDatabase;
let prodDb: TestDatabase;
let project: { dir: string; remove(): Promise<void> };
let dataDir: string;
let service: GodwitService;
beforeEach(async () => {
  [db, prodDb] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  project = await copyDemoProject();
  // prod on a database of its own: an environment on a protected one's database is protected too.
  await writeFile(join(project.dir, 'godwit.json'), JSON.stringify({ environments: { dev: { url: db.url }, prod: { url: prodDb.url, protected: true } } }));
  dataDir = await mkdtemp(join(tmpdir(), 'godwit-service-'));
  service = new GodwitService({ settings: new SettingsStore(join(dataDir, 'settings.json')) });
});
afterEach(async () => {
  await service.close();
  await Promise.all([db.drop(), prodDb.drop()]);
  await project.remove();
  await rm(dataDir, { recursive: true, force: true });
});

describe('GodwitService (the back end of the app and browser mode)', () => {
  it('opens a project, reports status, applies with progress events, and remembers it as recent', async () => {
    const opened = await service.call('project/open', { dir: project.dir });
    expect(opened.environments.map((e) => [e.name, e.protected])).toEqual([['dev', false], ['prod', true]]);
    const [dev] = await service.call('environments/status', { env: 'dev' });
    expect(dev!.summary.pending).toBe(DEMO_COUNT);
    const events: ProgressEventDto[] = [];
    service.subscribe((e) => events.push(e));
    const report = await service.call('migrations/apply', { env: 'dev', runId: 'r1' });
    expect(report.headAfter).toBe(DEMO_HEAD);
    expect(events.filter((e) => e.type === 'done').map((e) => e.name)).toHaveLength(DEMO_COUNT);
    expect(events.every((e) => e.runId === 'r1')).toBe(true);
    await expect(service.call('migrations/rollback', { env: 'prod', steps: 1, runId: 'r2' })).rejects.toThrow(/protected/);
    expect((await service.call('settings/get', {})).recentProjects).toEqual([project.dir]);
  });

  it('opens a project when its data folder cannot be written (the recent list is only a convenience)', async () => {
    const readOnly = new GodwitService({ settings: new SettingsStore('/dev/null/godwit-cannot-write-here/settings.json') });
    try {
      const opened = await readOnly.call('project/open', { dir: project.dir });
      expect(opened.dir).toBe(project.dir);
    } finally {
      await readOnly.close();
    }
  });

  it('answers the project read again with every status against it, packed, saying what environments/status says', async () => {
    expect(await service.call('project/overview', {})).toBeNull();
    await service.call('project/open', { dir: project.dir });
    await service.call('migrations/apply', { env: 'dev', runId: 'r1' });
    // Changed since the project was opened: an edited file, a new migration with a failed attempt, a branch only
    // the database knows.
    await appendFile(join(project.dir, 'migrations', '20250301090000_create_users', 'migration.sql'), '\n-- edited\n');
    await addMigration(project.dir, '20990101000000_added', 'SELECT 1;');
    await sqlOn(db.url, `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, logs, applied_steps_count) VALUES
      ('f1', 'x', '20990101000000_added', now(), NULL, 'ERROR: boom', 0), ('b1', 'y', '20250302090000_hotfix', now(), now(), NULL, 1)`);
    const overview = (await service.call('project/overview', {}))!;
    const read = overview.project!;
    expect(read.reading).toBe(overview.reading);
    expect(read.migrations.map((m) => m.name)).toContain('20990101000000_added');
    const unpacked = JSON.parse(JSON.stringify(unpackStatuses(read, overview.statuses))) as unknown;
    expect(unpacked).toEqual(JSON.parse(JSON.stringify(await service.call('environments/status', {}))));
    const [dev] = unpackStatuses(read, overview.statuses);
    expect(Object.fromEntries(dev!.migrations.map((m) => [m.name, m.state]))).toMatchObject({
      '20250301090000_create_users': 'edited', '20250302090000_hotfix': 'missing-locally', '20990101000000_added': 'failed', [DEMO_HEAD]: 'applied',
    });
    expect(dev!.migrations.find((m) => m.state === 'failed')!.logs).toBe('ERROR: boom');
    // `reread: false`: the project as last read, not the folder as it is now.
    await addMigration(project.dir, '20990102000000_later', 'SELECT 2;');
    expect((await service.call('project/overview', { reread: false }))!.project!.migrations.map((m) => m.name)).not.toContain('20990102000000_later');
    const reread = (await service.call('project/overview', {}))!;
    expect(reread.project!.migrations.map((m) => m.name)).toContain('20990102000000_later');
    expect(reread.reading).toBeGreaterThan(read.reading);
    // A caller that holds this very reading (it has just opened the project) is not sent it again; its statuses
    // unpack against the project it holds. Any other reading, or none named, and the project comes along.
    const held = (await service.call('project/overview', { reread: false, have: reread.reading }))!;
    expect(held.project).toBeNull();
    expect(held.reading).toBe(reread.reading);
    expect(JSON.parse(JSON.stringify(unpackStatuses(reread.project!, held.statuses)))).toEqual(JSON.parse(JSON.stringify(await service.call('environments/status', {}))));
    expect((await service.call('project/overview', { reread: false, have: read.reading }))!.project!.reading).toBe(reread.reading);
    expect((await service.call('project/overview', { reread: true, have: reread.reading }))!.project).not.toBeNull();
    const opened = await service.call('project/open', { dir: project.dir });
    expect(opened.reading).toBeGreaterThan(reread.reading);
    expect((await service.call('project/overview', { reread: false, have: opened.reading }))!.project).toBeNull();
  });

  it('keeps passwords out of godwit.json and out of everything it returns', async () => {
    await service.call('project/open', { dir: project.dir });
    await expect(service.call('environments/save', { name: 'stage', url: 'postgresql://app:hunter2@db/x', protected: false })).rejects.toThrow(/does not write passwords/);
    const saved = await service.call('environments/save', { name: 'stage', url: db.url, protected: false, password: 'hunter2' });
    expect(saved.environments.find((e) => e.name === 'stage')!.passwordStored).toBe(true);
    expect(JSON.stringify(saved)).not.toContain('hunter2');
    expect(await readFile(join(project.dir, 'godwit.json'), 'utf8')).not.toContain('hunter2');
    const statuses = await service.call('environments/status', {});
    expect(JSON.stringify(statuses)).not.toContain('hunter2');
    expect(JSON.stringify(await service.call('project/overview', {}))).not.toContain('hunter2');
    expect(statuses.find((s) => s.environment === 'stage')!.error).toBeUndefined();
    const renamed = await service.call('environments/save', { name: 'staging', previousName: 'stage', url: db.url, protected: false });
    expect(renamed.environments.find((e) => e.name === 'staging')!.passwordStored).toBe(true);
  });
});
