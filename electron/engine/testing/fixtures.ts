import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openProject, selectEnvironments, withEnvironment, type Db, type Environment, type OpenProject } from '../index.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';
import { copyDemoProject, type TempProject } from './temp-project.ts';

/** The project and an ad-hoc environment on `url`, as `--project DIR --url URL` gives them. */
export async function projectOn(dir: string, url: string): Promise<{ open: OpenProject; env: Environment }> {
  const open = await openProject(dir);
  const [env] = selectEnvironments(open.project, { url });
  return { open, env: env! };
}

/** Runs `fn` on a fresh session of the environment. */
export function onEnv<T>(env: Environment, fn: (db: Db) => Promise<T>): Promise<T> {
  return withEnvironment(env, fn);
}

/** Adds a migration folder to a project on disk. */
export async function addMigration(projectDir: string, name: string, upSql: string, downSql?: string): Promise<void> {
  const dir = join(projectDir, 'migrations', name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'migration.sql'), upSql);
  if (downSql !== undefined) await writeFile(join(dir, 'down.sql'), downSql);
}

export const DEMO_HEAD = '20250419090000_rename_booking_topic_to_subject';
export const DEMO_COUNT = 8;

/**
 * Registers hooks giving each test a fresh database and a fresh copy of the demo project, both removed after it.
 * Read `current()` inside a test.
 */
export function useDatabaseAndProject(hooks: { beforeEach(fn: () => Promise<void>): void; afterEach(fn: () => Promise<void>): void }): () => { db: TestDatabase; project: TempProject } {
  let state: { db: TestDatabase; project: TempProject } | undefined;
  hooks.beforeEach(async () => {
    state = { db: await createTestDatabase(), project: await copyDemoProject() };
  });
  hooks.afterEach(async () => {
    await state?.db.drop();
    await state?.project.remove();
    state = undefined;
  });
  return () => state!;
}
