import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from './test-database.ts';
import { copyDemoProject, type TempProject } from './temp-project.ts';
import { GodwitService } from '../service/godwit-service.ts';
import { SettingsStore } from '../service/settings-store.ts';

export interface ServiceFixture {
  db: TestDatabase;
  /** prod's own database: an environment on a protected one's database is protected too. */
  prodDb: TestDatabase;
  project: TempProject;
  service: GodwitService;
}

/**
 * Registers hooks giving each test the app's back end on a fresh database and a copy of the demo project (dev on the
 * database, and prod, protected, on a second one), with its own settings folder; everything is removed after it.
 * `prepare` runs on the project folder before the service starts. Read `current()` inside a test.
 */
export function useService(
  hooks: { beforeEach(fn: () => Promise<void>): void; afterEach(fn: () => Promise<void>): void },
  prepare?: (projectDir: string) => Promise<void>,
): () => ServiceFixture {
  let state: (ServiceFixture & { dataDir: string }) | undefined;
  hooks.beforeEach(async () => {
    const [db, prodDb] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    const project = await copyDemoProject();
    await prepare?.(project.dir);
    await writeFile(join(project.dir, 'godwit.json'), JSON.stringify({ environments: { dev: { url: db.url }, prod: { url: prodDb.url, protected: true } } }));
    const dataDir = await mkdtemp(join(tmpdir(), 'godwit-service-'));
    state = { db, prodDb, project, dataDir, service: new GodwitService({ settings: new SettingsStore(join(dataDir, 'settings.json')) }) };
  });
  hooks.afterEach(async () => {
    if (!state) return;
    await state.service.close();
    await Promise.all([state.db.drop(), state.prodDb.drop()]);
    await state.project.remove();
    await rm(state.dataDir, { recursive: true, force: true });
    state = undefined;
  });
  return () => state!;
}
