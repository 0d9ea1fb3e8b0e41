import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, sqlOn, type TestDatabase } from '../testing/test-database.ts';
import { copyDemoProject } from '../testing/temp-project.ts';
import { GodwitService } from './godwit-service.ts';
import { SettingsStore } from './settings-store.ts';

let db: TestDatabase;
let project: { dir: string; remove(): Promise<void> };
let dataDir: string;
let service: GodwitService;
const previous = process.env.GODWIT_DATA_DIR;
beforeEach(async () => {
  db = await createTestDatabase();
  project = await copyDemoProject();
  await writeFile(join(project.dir, 'godwit.json'), JSON.stringify({ environments: { dev: { url: db.url }, prod: { url: db.url, protected: true } } }));
  dataDir = await mkdtemp(join(tmpdir(), 'godwit-protect-'));
  process.env.GODWIT_DATA_DIR = dataDir;
  service = new GodwitService({ settings: new SettingsStore(join(dataDir, 'settings.json')) });
  await service.call('project/open', { dir: project.dir });
});
afterEach(async () => {
  await service.close();
  process.env.GODWIT_DATA_DIR = previous;
  await db.drop();
  await project.remove();
  await rm(dataDir, { recursive: true, force: true });
});

const auditRows = () => sqlOn(db.url, 'SELECT environment, action, result FROM godwit.audit_log ORDER BY id').catch(() => []);
const godwitJson = async () => JSON.parse(await readFile(join(project.dir, 'godwit.json'), 'utf8')) as { environments: Record<string, { url: string; protected?: boolean }> };

describe('protection enforced by the service', () => {
  it('refuses to remove protection without the typed name, so the next run still needs it; with it, audits the change', async () => {
    await expect(service.call('environments/save', { name: 'prod', previousName: 'prod', url: db.url, protected: false })).rejects.toThrow(/confirm with its exact name/);
    await expect(service.call('environments/save', { name: 'prod', previousName: 'prod', url: db.url, protected: false, confirm: 'dev' })).rejects.toThrow(/confirm/);
    expect((await godwitJson()).environments.prod!.protected).toBe(true);
    await expect(service.call('migrations/apply', { env: 'prod', runId: 'r' })).rejects.toThrow(/protected/);
    expect(await auditRows()).toEqual([
      { environment: 'prod', action: 'environment:remove-protection', result: 'failed' },
      { environment: 'prod', action: 'environment:remove-protection', result: 'failed' },
    ]);
    const saved = await service.call('environments/save', { name: 'prod', previousName: 'prod', url: db.url, protected: false, confirm: 'prod' });
    expect(saved.environments.find((e) => e.name === 'prod')!.protected).toBe(false);
    expect((await auditRows()).at(-1)).toEqual({ environment: 'prod', action: 'environment:remove-protection', result: 'ok' });
  });

  it('needs the typed name to change a protected environment\'s URL, shadow URL or name, and to remove it', async () => {
    const other = `${db.url}?application_name=x`;
    await expect(service.call('environments/save', { name: 'prod', previousName: 'prod', url: other, protected: true })).rejects.toThrow(/confirm/);
    await expect(service.call('environments/save', { name: 'prod', previousName: 'prod', url: db.url, protected: true, shadowDatabaseUrl: db.url })).rejects.toThrow(/confirm/);
    await expect(service.call('environments/save', { name: 'live', previousName: 'prod', url: db.url, protected: true })).rejects.toThrow(/confirm/);
    // What runs on every connection, and where it goes: a password command (a shell command for every user of the
    // project) and an SSH hop.
    await expect(service.call('environments/save', { name: 'prod', previousName: 'prod', url: db.url, protected: true, passwordCommand: 'touch /tmp/godwit-pwned; echo x' })).rejects.toThrow(/confirm/);
    await expect(service.call('environments/save', { name: 'prod', previousName: 'prod', url: db.url, protected: true, ssh: { host: 'bastion.example', user: 'x', agent: true } })).rejects.toThrow(/confirm/);
    expect((await godwitJson()).environments.prod).toEqual({ url: db.url, protected: true });
    await expect(service.call('environments/remove', { name: 'prod' })).rejects.toThrow(/confirm/);
    await expect(service.call('environments/remove', { name: 'prod', confirm: 'Prod' })).rejects.toThrow(/confirm/);
    expect(Object.keys((await godwitJson()).environments)).toEqual(['dev', 'prod']);
    expect((await godwitJson()).environments.prod!.url).toBe(db.url);
    // Changes that do not weaken it need nothing; the ones that do, with the name, go through.
    await service.call('environments/save', { name: 'prod', previousName: 'prod', url: db.url, protected: true });
    await service.call('environments/save', { name: 'prod', previousName: 'prod', url: other, protected: true, confirm: 'prod' });
    const removed = await service.call('environments/remove', { name: 'prod', confirm: 'prod' });
    expect(removed.environments.map((e) => e.name)).toEqual(['dev']);
    expect((await auditRows()).filter((r) => r.result === 'ok')).toEqual([
      { environment: 'prod', action: 'environment:change-url', result: 'ok' },
      { environment: 'prod', action: 'environment:remove', result: 'ok' },
    ]);
  });

  it('needs a confirmation to remove any environment', async () => {
    await expect(service.call('environments/remove', { name: 'dev' })).rejects.toThrow(/confirm/);
    expect((await service.call('environments/remove', { name: 'dev', confirm: 'dev' })).environments.map((e) => e.name)).toEqual(['prod']);
  });
});
