import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTestDatabase, sqlOn, type TestDatabase } from '../../engine/testing/test-database.ts';
import { createGitProject, type GitProject } from '../../engine/check/testing/git-project.ts';
import { runGodwit } from '../testing/run-cli.ts';

let repo: GitProject;
let db: TestDatabase;
beforeEach(async () => {
  db = await createTestDatabase();
  repo = await createGitProject();
  await repo.migration('20250101000000_create_users', 'CREATE TABLE "users" ("id" integer PRIMARY KEY, "email" text);\n', 'DROP TABLE "users";\n');
  await writeFile(join(repo.dir, 'godwit.json'), JSON.stringify({ environments: { prod: { url: db.url, protected: true } } }));
});
afterEach(async () => {
  await repo.remove();
  await db.drop();
});

describe('godwit adopt-drift (the command)', () => {
  it('on a protected environment needs --yes --confirm with its name (refused: nothing written, exit 2); given it, the index reaches a fresh database', async () => {
    expect((await runGodwit(['up', '--project', repo.dir, '--env', 'prod', '--yes', '--confirm', 'prod'])).code).toBe(0);
    await sqlOn(db.url, 'CREATE INDEX "users_email_hotfix" ON "users" ("email")');
    for (const extra of [[], ['--confirm', 'staging']]) {
      const res = await runGodwit(['adopt-drift', 'hotfix', '--project', repo.dir, '--env', 'prod', '--yes', ...extra]);
      expect(res.code).toBe(2);
      expect(res.stderr).toContain('prod is protected');
      expect(res.stderr).toContain('--yes --confirm prod');
    }
    expect(await readdir(join(repo.dir, 'prisma/migrations'))).toEqual(['20250101000000_create_users', 'migration_lock.toml']);
    const two = await runGodwit(['adopt-drift', 'hotfix', '--project', repo.dir, '--env', 'prod', '--env', 'prod']);
    expect(two.code).toBe(2);

    // With the typed name: written, marked applied on prod, and prod has no drift any more.
    const adopted = await runGodwit(['adopt-drift', 'hotfix email', '--project', repo.dir, '--env', 'prod', '--yes', '--confirm', 'prod']);
    expect(adopted.stderr).toBe('');
    expect(adopted.code).toBe(0);
    const name = /marked (\d{14}_hotfix_email) applied in prod/.exec(adopted.stdout)![1]!;
    expect((await runGodwit(['status', '--project', repo.dir, '--env', 'prod', '--drift'])).code).toBe(0);
    // A fresh database gets the index from the new migration.
    const fresh = await createTestDatabase();
    try {
      expect((await runGodwit(['up', '--project', repo.dir, '--url', fresh.url, '--yes'])).code).toBe(0);
      expect(await sqlOn(fresh.url, "SELECT indexdef FROM pg_indexes WHERE indexname = 'users_email_hotfix'")).toEqual(
        await sqlOn(db.url, "SELECT indexdef FROM pg_indexes WHERE indexname = 'users_email_hotfix'"),
      );
      expect(await sqlOn(fresh.url, 'SELECT migration_name FROM _prisma_migrations ORDER BY 1')).toEqual([{ migration_name: '20250101000000_create_users' }, { migration_name: name }]);
    } finally {
      await fresh.drop();
    }
  });
});
