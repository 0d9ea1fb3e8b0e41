import { afterEach, beforeEach, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, databasesLike, type TestDatabase } from '../testing/test-database.ts';
import { checkProject } from '../schema-engine/testing/check-project.ts';
import { panicOnShadowDescribe } from '../schema-engine/testing/engine-faults.ts';
import { SHADOW_PREFIX } from '../schema-engine/pg-adapter-factory.ts';
import { GodwitService } from './godwit-service.ts';
import { SettingsStore } from './settings-store.ts';

let db: TestDatabase;
let project: Awaited<ReturnType<typeof checkProject>>;
let dataDir: string;
let service: GodwitService;
let undoFault: (() => void) | undefined;
beforeEach(async () => {
  db = await createTestDatabase();
  project = await checkProject();
  await writeFile(join(project.dir, 'godwit.json'), JSON.stringify({ environments: { dev: { url: db.url } } }));
  dataDir = await mkdtemp(join(tmpdir(), 'godwit-service-'));
  service = new GodwitService({ settings: new SettingsStore(join(dataDir, 'settings.json')) });
});
afterEach(async () => {
  undoFault?.();
  await service.close();
  await db.drop();
  await project.remove();
  await rm(dataDir, { recursive: true, force: true });
});

it('a panic in the schema engine fails that call with one line; the service stays up and the next calls work', async () => {
  const shadows = `${SHADOW_PREFIX}${process.pid}_`;
  const before = await databasesLike(shadows);
  await service.call('project/open', { dir: project.dir });
  await service.call('migrations/apply', { env: 'dev', runId: 'r1' });

  undoFault = panicOnShadowDescribe();
  const failed = await service.call('migrations/create', { env: 'dev', name: 'add_b' }).catch((e: unknown) => e as Error);
  expect(failed).toBeInstanceOf(Error);
  expect((failed as Error).message).toMatch(/^Could not run Prisma's schema engine: the engine crashed \(Getting constraint_type/);
  expect(await databasesLike(shadows)).toEqual(before);
  undoFault();
  undoFault = undefined;

  const [dev] = await service.call('environments/status', { drift: true });
  expect(dev!.error).toBeUndefined();
  expect(dev!.summary.applied).toBe(2);
  expect(dev!.drift).not.toBeNull();
  const created = await service.call('migrations/create', { env: 'dev', name: 'add_b' });
  expect(created!.upSql).toContain('CREATE TABLE "B"');
});
