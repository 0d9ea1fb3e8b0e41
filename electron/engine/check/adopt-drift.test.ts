import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { openProject, rollback, selectEnvironments, upgrade, withEnvironment, type Environment } from '../index.ts';
import { readEnvironmentStatus } from '../status/environment-status.ts';
import { detectDrift } from '../status/detect-drift.ts';
import { createTestDatabase, sqlOn, type TestDatabase } from '../testing/test-database.ts';
import { createGitProject, type GitProject } from './testing/git-project.ts';
import { adoptDrift } from './adopt-drift.ts';

const USERS = 'CREATE TABLE "users" ("id" integer PRIMARY KEY, "email" text);\n';
const checksOf = (url: string) => sqlOn<{ conname: string; def: string }>(url, "SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE contype = 'c' AND conrelid <> 0 ORDER BY 1");
const indexesOf = (url: string) => sqlOn<{ indexname: string; indexdef: string }>(url, "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'users' ORDER BY 1");

let repo: GitProject;
let prod: TestDatabase;
let fresh: TestDatabase;
beforeEach(async () => {
  [prod, fresh] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  repo = await createGitProject();
  await repo.migration('20250101000000_create_users', USERS, 'DROP TABLE "users";\n');
});
afterEach(async () => {
  await repo.remove();
  await Promise.all([prod.drop(), fresh.drop()]);
});

async function envOn(url: string): Promise<Environment> {
  return selectEnvironments((await openProject(repo.dir)).project, { url })[0]!;
}

async function upAll(url: string): Promise<void> {
  const open = await openProject(repo.dir);
  const env = await envOn(url);
  await withEnvironment(env, (db) => upgrade({ db, env, folder: open.folder }, {}));
}

describe('godwit adopt-drift', () => {
  it('turns a hand-made index into a migration that reproduces it on a fresh database, marked applied where it came from', async () => {
    await upAll(prod.url);
    await sqlOn(prod.url, 'CREATE INDEX "users_email_hotfix" ON "users" ("email")');
    // Prisma's differ does not model CHECK constraints: the catalog snapshot adopts it.
    await sqlOn(prod.url, `ALTER TABLE "users" ADD CONSTRAINT "users_email_not_blank" CHECK ("email" <> '')`);
    const open = await openProject(repo.dir);
    const env = await envOn(prod.url);
    const adopted = await withEnvironment(env, (db) => adoptDrift(db, env, open, 'hotfix email index'));
    expect(adopted).not.toBeNull();
    expect(adopted!.name).toMatch(/^\d{14}_hotfix_email_index$/);
    expect(adopted!.upSql).toContain('CREATE INDEX "users_email_hotfix"');
    expect(adopted!.downSql).toContain('DROP INDEX "public"."users_email_hotfix"');
    expect((await readdir(join(repo.dir, 'prisma/migrations', adopted!.name))).sort()).toEqual(['down.sql', 'migration.sql']);

    // Where it came from: applied (nothing ran but the history row), and no drift any more.
    const reopened = await openProject(repo.dir);
    const after = await withEnvironment(env, async (db) => {
      const status = await readEnvironmentStatus(db, env, reopened.folder);
      return { status, drift: await detectDrift(db, reopened.project, reopened.folder, status.migrations) };
    });
    expect(after.status.migrations.map((m) => [m.name, m.state])).toEqual([['20250101000000_create_users', 'applied'], [adopted!.name, 'applied']]);
    expect(after.drift.drifted).toBe(false);

    // Elsewhere: a plain upgrade reproduces the index exactly; its down.sql removes it again.
    await upAll(fresh.url);
    expect(await indexesOf(fresh.url)).toEqual(await indexesOf(prod.url));
    expect((await indexesOf(fresh.url)).map((i) => i.indexname)).toContain('users_email_hotfix');
    expect(await checksOf(fresh.url)).toEqual(await checksOf(prod.url));
    expect((await checksOf(fresh.url)).map((c) => c.conname)).toEqual(['users_email_not_blank']);
    const freshEnv = await envOn(fresh.url);
    await withEnvironment(freshEnv, (db) => rollback({ db, env: freshEnv, folder: reopened.folder }, { steps: 1 }));
    expect((await indexesOf(fresh.url)).map((i) => i.indexname)).toEqual(['users_pkey']);
    expect(await checksOf(fresh.url)).toEqual([]);
  });

  it('writes nothing without drift, and nothing on a protected environment without its typed name', async () => {
    await upAll(prod.url);
    const open = await openProject(repo.dir);
    const env = await envOn(prod.url);
    expect(await withEnvironment(env, (db) => adoptDrift(db, env, open, 'nothing'))).toBeNull();
    await sqlOn(prod.url, 'CREATE INDEX "users_email_hotfix" ON "users" ("email")');
    const guarded: Environment = { ...env, name: 'prod', protected: true };
    await expect(withEnvironment(guarded, (db) => adoptDrift(db, guarded, open, 'hotfix'))).rejects.toMatchObject({ code: 'confirmation-required' });
    await expect(withEnvironment(guarded, (db) => adoptDrift(db, guarded, open, 'hotfix', { confirm: 'staging' }))).rejects.toMatchObject({ code: 'confirmation-required' });
    expect(await readdir(join(repo.dir, 'prisma/migrations'))).toEqual(['20250101000000_create_users', 'migration_lock.toml']);
  });

  it('refuses an environment with pending migrations', async () => {
    await upAll(prod.url);
    await repo.migration('20250201000000_more', 'SELECT 1;\n', 'SELECT 1;\n');
    const open = await openProject(repo.dir);
    const env = await envOn(prod.url);
    await expect(withEnvironment(env, (db) => adoptDrift(db, env, open, 'hotfix'))).rejects.toMatchObject({ code: 'pending-migrations' });
  });

  it('refuses an environment that ran a migration this folder lacks, whose objects it would adopt as drift', async () => {
    await repo.migration('20250201000000_flag', 'ALTER TABLE "users" ADD COLUMN "flag" boolean;\n', 'ALTER TABLE "users" DROP COLUMN "flag";\n');
    await upAll(prod.url);
    const { rm } = await import('node:fs/promises');
    await rm(join(repo.dir, 'prisma', 'migrations', '20250201000000_flag'), { recursive: true });
    const open = await openProject(repo.dir);
    const env = await envOn(prod.url);
    await expect(withEnvironment(env, (db) => adoptDrift(db, env, open, 'hotfix'))).rejects.toMatchObject({ code: 'missing-locally', message: expect.stringContaining('20250201000000_flag') });
    expect((await readdir(join(repo.dir, 'prisma', 'migrations'))).filter((n) => n.includes('hotfix'))).toEqual([]);
  });
});
