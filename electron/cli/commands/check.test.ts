import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTestDatabase, databasesLike, type TestDatabase } from '../../engine/testing/test-database.ts';
import { createGitProject, type GitProject } from '../../engine/check/testing/git-project.ts';
import { runGodwit } from '../testing/run-cli.ts';
import { spawn } from 'node:child_process';
import { DEMO_PROJECT_DIR } from '../../engine/demo/open-demo.ts';

const USERS = 'CREATE TABLE "users" ("id" integer PRIMARY KEY, "email" text);\n';
const ORDERS = 'CREATE TABLE "orders" ("id" integer PRIMARY KEY, "user_id" integer);\n';
const EXPECTED_REPORT = join(import.meta.dirname, '..', '..', 'engine', 'check', 'fixtures', 'expected-report.md');

let repo: GitProject;
let db: TestDatabase;
beforeEach(async () => {
  db = await createTestDatabase();
  repo = await createGitProject();
  await repo.migration('20250101000000_create_users', USERS, 'DROP TABLE "users";\n');
  await repo.migration('20250201000000_create_orders', ORDERS, 'DROP TABLE "orders";\n');
  await repo.commit('base');
  await repo.git('checkout', '-q', '-b', 'feature');
});
afterEach(async () => {
  await repo.remove();
  await db.drop();
});

const check = (...args: string[]) => runGodwit(['check', '--project', repo.dir, ...args]);

describe('godwit check (the command)', () => {
  it('exit 0: a reversible pair added since the base, throwaway on the --url server', async () => {
    await repo.migration('20250301000000_add_user_name', 'ALTER TABLE "users" ADD COLUMN "name" text;\n', 'ALTER TABLE "users" DROP COLUMN "name";\n');
    await repo.commit('add name');
    const res = await check('--base', 'main', '--url', db.url);
    expect(res.stderr).not.toContain('Error');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('No findings: 1 migration checked, 1 new since main (');
    expect(res.stdout).toContain('reversibility on a throwaway database on the server');
    const made = [...res.stderr.matchAll(/throwaway database: \S+\/(godwit_check_[0-9a-f]+)/g)].map((m) => m[1]!);
    expect(made).toHaveLength(1);
    expect(await databasesLike(made[0]!)).toEqual([]);
  });

  it('exit 1 with --json: stable rule ids, migration, line and message', async () => {
    await repo.migration('20250301000000_add_email_index', 'CREATE INDEX "users_email_idx" ON "users" ("email");\n', '-- forgot the index\nSELECT 1;\n');
    await repo.write('prisma/migrations/20250101000000_create_users/migration.sql', `${USERS}-- edited after merge\n`);
    const res = await check('--base', 'main', '--url', db.url, '--json');
    expect(res.code).toBe(1);
    const report = JSON.parse(res.stdout) as { exitCode: number; findings: { rule: string; migration: string; line: number | null; message: string }[] };
    expect(report.exitCode).toBe(1);
    expect(report.findings.map((f) => [f.rule, f.migration, f.line])).toEqual([
      ['integrity/edited', '20250101000000_create_users', 2],
      ['reversibility/not-reversible', '20250301000000_add_email_index', null],
      ['lint/scan', '20250301000000_add_email_index', 1],
    ]);
    expect(report.findings[1]!.message).toContain('users_email_idx');
  });

  it('exit 2: not a git repository, an unknown ref, --json with --markdown', async () => {
    const unknown = await check('--base', 'origin/nope');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toContain('--base origin/nope: git knows no commit by that name');
    const notRepo = await runGodwit(['check', '--project', repo.dir, '--base', 'main'], { env: { GIT_DIR: join(repo.dir, 'missing-git-dir') } });
    expect(notRepo.code).toBe(2);
    expect(notRepo.stderr).toContain('is not inside a git repository');
    const both = await check('--json', '--markdown');
    expect(both.code).toBe(2);
  });

  it('Ctrl+C cancels the running statement and drops the throwaway database (exit 2)', async () => {
    await repo.migration('20250301000000_slow', 'SELECT pg_sleep(60);\n', 'SELECT 1;\n');
    const child = spawn(process.execPath, [join(DEMO_PROJECT_DIR, 'bin', 'godwit.cjs'), ...['check', '--project', repo.dir, '--base', 'main', '--url', db.url]], {
      env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve) => child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes('reversibility [1/1]')) resolve();
    }));
    // Whether the slow statement has started or not, the interrupt ends the check and drops the throwaway.
    child.kill('SIGINT');
    expect(await exited).toBe(2);
    expect(stderr).toContain('The check was interrupted; its throwaway database was dropped.');
    const made = /throwaway database: \S+\/(godwit_check_[0-9a-f]+)/.exec(stderr)![1]!;
    expect(await databasesLike(made)).toEqual([]);
  });

  it('--markdown: the pull-request comment matches the stored report (embedded throwaway)', async () => {
    await repo.write('prisma/migrations/20250101000000_create_users/migration.sql', `${USERS}COMMENT ON TABLE "users" IS 'people | accounts';\n`);
    await repo.migration('20250115000000_add_user_name', 'ALTER TABLE "users" ADD COLUMN "name" text;\n', 'ALTER TABLE "users" DROP COLUMN "name";\n');
    await repo.migration('20250301000000_add_email_index', 'CREATE INDEX "users_email_idx" ON "users" ("email");\n', '-- forgot the index\nSELECT 1;\n');
    await writeFile(join(repo.dir, 'godwit.json'), `${JSON.stringify({
      environments: { dev: { url: 'embedded:dev' } },
      check: { ignore: [{ rule: 'lint/scan', migration: '20250301000000_add_email_index', reason: 'users is small; the build takes milliseconds' }] },
    }, null, 2)}\n`);
    await repo.commit('feature');
    const res = await check('--base', 'main', '--markdown');
    expect(res.code).toBe(1);
    expect(res.stdout).toBe(await readFile(EXPECTED_REPORT, 'utf8'));
  });
});
