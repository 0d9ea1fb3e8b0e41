import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GodwitService } from '../service/godwit-service.ts';
import { SettingsStore } from '../service/settings-store.ts';
import { createTestDatabase, sqlOn, type TestDatabase } from '../testing/test-database.ts';
import { createGitProject, type GitProject } from './testing/git-project.ts';

let repo: GitProject;
let db: TestDatabase;
let prodDb: TestDatabase;
let dataDir: string;
let service: GodwitService;
beforeEach(async () => {
  [db, prodDb] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  repo = await createGitProject();
  // prod on its own database: one on a protected environment's database is protected too.
  await writeFile(join(repo.dir, 'godwit.json'), JSON.stringify({ environments: { ci: { url: db.url }, prod: { url: prodDb.url, protected: true } } }));
  await repo.migration('20250101000000_create_users', 'CREATE TABLE "users" ("id" integer PRIMARY KEY);\n', 'DROP TABLE "users";\n');
  await repo.migration('20250201000000_create_orders', 'CREATE TABLE "orders" ("id" integer PRIMARY KEY);\n', 'DROP TABLE "orders";\n');
  await repo.commit('base');
  dataDir = await mkdtemp(join(tmpdir(), 'godwit-check-service-'));
  service = new GodwitService({ settings: new SettingsStore(join(dataDir, 'settings.json')) });
});
afterEach(async () => {
  await service.close();
  await repo.remove();
  await Promise.all([db.drop(), prodDb.drop()]);
  await rm(dataDir, { recursive: true, force: true });
});

describe('project/check (the service operation the app\'s Check view calls)', () => {
  it('reports what godwit check reports, with the Markdown, reading files as they are now', async () => {
    await service.call('project/open', { dir: repo.dir });
    // Added after the project was opened: the check reads the folder again.
    await repo.migration('20250115000000_add_index', 'CREATE INDEX "users_id_idx" ON "users" ("id");\n', 'SELECT 1;\n');
    const report = await service.call('project/check', { base: 'main', env: 'ci', only: ['ordering', 'reversibility'] });
    expect(report.exitCode).toBe(1);
    expect(report.findings.map((f) => f.rule)).toEqual(['ordering/out-of-order', 'reversibility/not-reversible']);
    expect(report.findings[1]!.message).toContain('users_id_idx');
    expect(report.throwaway).toBe('server');
    expect(report.environment).toBe('ci');
    expect(report.markdown).toContain('### `reversibility/not-reversible` (1)');
    expect(report.summary).toBe(report.markdown.split('\n')[2]!.replace(/^❌ \*\*|\*\*$/g, ''));
  });

  it('compared with a protected environment, the throwaway is embedded: nothing is created on its server', async () => {
    await service.call('project/open', { dir: repo.dir });
    await repo.migration('20250301000000_add_index', 'CREATE INDEX "users_id_idx" ON "users" ("id");\n', 'DROP INDEX "users_id_idx";\n');
    const report = await service.call('project/check', { base: 'main', env: 'prod', only: ['reversibility'] });
    expect(report.findings).toEqual([]);
    expect(report.throwaway).toBe('embedded');
    expect(report.environment).toBe('prod');
  });

  it('environments/adoptDrift: gated by the typed name on a protected environment, then written and marked applied there', async () => {
    await service.call('project/open', { dir: repo.dir });
    await service.call('migrations/apply', { env: 'prod', confirm: 'prod', runId: 'up' });
    await sqlOn(prodDb.url, 'CREATE INDEX "users_hotfix" ON "users" ("id" DESC)');
    await expect(service.call('environments/adoptDrift', { env: 'prod', name: 'hotfix' })).rejects.toMatchObject({ code: 'confirmation-required' });
    const adopted = await service.call('environments/adoptDrift', { env: 'prod', name: 'hotfix', confirm: 'prod' });
    expect(adopted!.upSql).toContain('CREATE INDEX "users_hotfix"');
    const [prod] = await service.call('environments/status', { env: 'prod', drift: true });
    expect(prod!.migrations.map((m) => [m.name, m.state]).at(-1)).toEqual([adopted!.name, 'applied']);
    expect(prod!.drift?.drifted).toBe(false);
    expect(await service.call('environments/adoptDrift', { env: 'prod', name: 'again', confirm: 'prod' })).toBeNull();
  });

  it('rejects a bad ref with the engine\'s message', async () => {
    await service.call('project/open', { dir: repo.dir });
    await expect(service.call('project/check', { base: 'no-such-branch' })).rejects.toMatchObject({ code: 'unknown-ref' });
  });
});
