import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openProject, selectEnvironments, upgrade, withEnvironment } from '../index.ts';
import { readEnvironmentStatus } from '../status/environment-status.ts';
import { createTestDatabase, databasesLike, testServerUrl, type TestDatabase } from '../testing/test-database.ts';
import { createGitProject, type GitProject } from './testing/git-project.ts';
import { checkExitCode, runCheck } from './run-check.ts';
import { embeddedThrowaway, extensionsCreatedBy, serverThrowaway, type ThrowawayFactory } from './throwaway.ts';
import { introspectionComparer } from './schema-compare.ts';

const USERS = 'CREATE TABLE "users" ("id" integer PRIMARY KEY, "email" text);\n';
const ORDERS = 'CREATE TABLE "orders" ("id" integer PRIMARY KEY, "user_id" integer);\n';

let repo: GitProject;
beforeEach(async () => {
  repo = await createGitProject();
  await repo.migration('20250101000000_create_users', USERS, 'DROP TABLE "users";\n');
  await repo.migration('20250201000000_create_orders', ORDERS, 'DROP TABLE "orders";\n');
  await repo.commit('base');
  await repo.git('checkout', '-q', '-b', 'feature');
});
afterEach(() => repo.remove());

/** The server throwaway, remembering each database it made so a test can see they are all gone. */
const made: string[] = [];
const server: ThrowawayFactory = {
  kind: 'server',
  async create() {
    const t = await serverThrowaway(testServerUrl()).create();
    made.push(new URL(t.env.target.kind === 'postgres' ? t.env.target.url : '').pathname.slice(1));
    return t;
  },
};
async function throwawaysLeft(): Promise<string[]> {
  expect(made.length).toBeGreaterThan(0);
  return (await Promise.all(made.splice(0).map((name) => databasesLike(name)))).flat();
}
const check = async (opts: Parameters<typeof runCheck>[1] = {}) => runCheck(await openProject(repo.dir), { base: 'main', throwaway: server, ...opts });
const rules = (r: { findings: { rule: string; migration: string | null }[] }) => r.findings.map((f) => `${f.rule} ${f.migration}`);

describe('godwit check against a git base', () => {
  it('a reversible pair added since the base is clean, and the throwaway database is dropped', async () => {
    await repo.migration('20250301000000_add_user_name', 'ALTER TABLE "users" ADD COLUMN "name" text;\n', 'ALTER TABLE "users" DROP COLUMN "name";\n');
    await repo.commit('add name');
    const report = await check();
    expect(report.findings).toEqual([]);
    expect(report.added).toEqual(['20250301000000_add_user_name']);
    expect(report.checked).toEqual(['20250301000000_add_user_name']);
    expect(report.base?.commit).toBe(await repo.git('rev-parse', 'main'));
    expect(report.throwaway).toBe('server');
    expect(checkExitCode(report)).toBe(0);
    expect(await throwawaysLeft()).toEqual([]);
  });

  it('a down.sql that forgets to drop an index is not reversible, and the index is named', async () => {
    await repo.migration('20250301000000_add_email_index', 'CREATE INDEX "users_email_idx" ON "users" ("email");\n', '-- forgot the index\nSELECT 1;\n');
    const report = await check({ only: ['reversibility'] });
    expect(rules(report)).toEqual(['reversibility/not-reversible 20250301000000_add_email_index']);
    const [f] = report.findings;
    expect(f!.message).toContain('index public.users_email_idx on public.users');
    expect(f!.message).toContain('left behind by down.sql');
    expect(f!.sql).toMatch(/^CREATE INDEX users_email_idx ON (public\.)?users USING btree \(email\)$/);
    expect(checkExitCode(report)).toBe(1);
    expect(await throwawaysLeft()).toEqual([]);
  });

  it('a failing down.sql is a finding with file and line; later migrations are still checked, on a fresh throwaway', async () => {
    await repo.migration('20250301000000_add_email_index', 'CREATE INDEX "users_email_idx" ON "users" ("email");\n', '-- wrong name\nDROP INDEX "users_mail_idx";\n');
    await repo.migration('20250302000000_add_seq', 'CREATE SEQUENCE "invoice_no";\n', 'SELECT 1;\n');
    await repo.migration('20250303000000_add_user_name', 'ALTER TABLE "users" ADD COLUMN "name" text;\n', 'ALTER TABLE "users" DROP COLUMN "name";\n');
    const report = await check({ only: ['reversibility'] });
    expect(report.findings.map((f) => [f.rule, f.migration, f.file, f.line])).toEqual([
      ['reversibility/down-failed', '20250301000000_add_email_index', 'down.sql', 2],
      ['reversibility/not-reversible', '20250302000000_add_seq', 'down.sql', null],
    ]);
    expect(report.findings[0]!.message).toContain('index "users_mail_idx" does not exist');
    expect(report.findings[1]!.message).toContain('sequence public.invoice_no: left behind by down.sql');
    expect(await throwawaysLeft()).toEqual([]);
  });

  it('a migration that cannot be applied again after its down.sql is a finding, even where the snapshot sees no difference', async () => {
    // The introspection snapshot does not read types: up, down, compare pass; the second up does not.
    await repo.migration('20250301000000_add_mood', "CREATE TYPE \"mood\" AS ENUM ('ok');\n", '-- forgot the type\nSELECT 1;\n');
    const report = await check({ only: ['reversibility'], comparer: introspectionComparer });
    expect(report.findings.map((f) => [f.rule, f.migration, f.file, f.line])).toEqual([['reversibility/reapply-failed', '20250301000000_add_mood', 'migration.sql', 1]]);
    expect(report.findings[0]!.message).toContain('type "mood" already exists');
    expect(await throwawaysLeft()).toEqual([]);
    // The catalog snapshot (the default) reads types, so there the same pair is simply not reversible.
    const full = await check({ only: ['reversibility'] });
    expect(full.findings.map((f) => [f.rule, f.message])).toEqual([['reversibility/not-reversible', 'enum public.mood: left behind by down.sql (absent before the migration).']]);
    expect(await throwawaysLeft()).toEqual([]);
  });

  it('on the embedded throwaway, the contrib extensions the migrations create are there (pgcrypto, uuid-ossp)', async () => {
    expect(extensionsCreatedBy('CREATE EXTENSION IF NOT EXISTS "uuid-ossp";\ncreate extension pgcrypto WITH SCHEMA public;')).toEqual(['uuid-ossp', 'pgcrypto']);
    await repo.migration(
      '20250301000000_add_tokens',
      'CREATE EXTENSION IF NOT EXISTS "uuid-ossp";\nCREATE EXTENSION IF NOT EXISTS pgcrypto;\nCREATE TABLE "tokens" ("id" uuid DEFAULT uuid_generate_v4(), "salt" text DEFAULT gen_salt(\'bf\'));\n',
      'DROP TABLE "tokens";\nDROP EXTENSION pgcrypto;\nDROP EXTENSION "uuid-ossp";\n',
    );
    const report = await check({ only: ['reversibility'], throwaway: embeddedThrowaway() });
    expect(report.throwaway).toBe('embedded');
    expect(report.findings).toEqual([]);
  });

  it('lint: locks and scans on existing tables and destructive statements, with lines; a table the deploy creates is exempt', async () => {
    await repo.migration('20250301000000_require_email', '-- emails are mandatory now\nALTER TABLE "users" ALTER COLUMN "email" SET NOT NULL;\n', 'ALTER TABLE "users" ALTER COLUMN "email" DROP NOT NULL;\n');
    await repo.migration('20250302000000_create_invoices', 'CREATE TABLE "invoices" ("id" integer PRIMARY KEY, "n" text);\nCREATE INDEX "invoices_n_idx" ON "invoices" ("n");\n', 'DROP TABLE "invoices";\n');
    const report = await check({ only: ['lint'] });
    expect(report.findings.map((f) => [f.rule, f.migration, f.line])).toEqual([
      ['lint/scan', '20250301000000_require_email', 2],
      ['lint/destructive', '20250301000000_require_email', 2],
    ]);
    expect(report.findings[0]!.message).toContain('SET NOT NULL reads all of users');
    expect(report.findings[0]!.sql).toBe('ALTER TABLE "users" ALTER COLUMN "email" SET NOT NULL');
    // --all: every migration, each on its own: the base's CREATE TABLEs lock nothing that exists, so still no more.
    const all = await check({ only: ['lint'], all: true });
    expect(all.checked).toHaveLength(4);
    expect(all.findings.map((f) => f.rule)).toEqual(['lint/scan', 'lint/destructive']);
  });

  it('a migration added with a timestamp older than the base\'s newest is out of order', async () => {
    await repo.migration('20250115000000_add_user_name', 'ALTER TABLE "users" ADD COLUMN "name" text;\n', 'ALTER TABLE "users" DROP COLUMN "name";\n');
    const report = await check({ only: ['ordering'] });
    expect(rules(report)).toEqual(['ordering/out-of-order 20250115000000_add_user_name']);
    expect(report.findings[0]!.message).toContain('sorts before 20250201000000_create_orders, which main already has');
  });

  it('an edited base migration is found with its first changed line; a removed one too', async () => {
    await repo.write('prisma/migrations/20250101000000_create_users/migration.sql', `${USERS}CREATE INDEX "users_email_idx" ON "users" ("email");\n`);
    await rm(join(repo.dir, 'prisma/migrations/20250201000000_create_orders'), { recursive: true });
    const report = await check({ only: ['integrity'] });
    expect(report.findings.map((f) => [f.rule, f.migration, f.line])).toEqual([
      ['integrity/edited', '20250101000000_create_users', 2],
      ['integrity/removed', '20250201000000_create_orders', null],
    ]);
    expect(report.findings.find((f) => f.rule === 'integrity/edited')!.sql).toBe('CREATE INDEX "users_email_idx" ON "users" ("email");');
  });

  it('names, duplicate timestamps and missing down.sql need no base', async () => {
    await repo.migration('20250301000000_a', 'SELECT 1;\n', 'SELECT 1;\n');
    await repo.migration('20250301000000_b', 'SELECT 1;\n');
    await repo.migration('2025-03-02_c', 'SELECT 1;\n', 'SELECT 1;\n');
    await repo.migration('20251340000000_d', 'SELECT 1;\n', 'SELECT 1;\n');
    const report = await runCheck(await openProject(repo.dir), { only: ['ordering', 'reversibility/missing-down'], throwaway: server });
    expect(rules(report).sort()).toEqual([
      'ordering/bad-name 2025-03-02_c',
      'ordering/bad-name 20251340000000_d',
      'ordering/duplicate-timestamp 20250301000000_b',
      'reversibility/missing-down 20250301000000_b',
    ]);
  });

  it('godwit.json silences a rule for one migration, with its reason in the report', async () => {
    await repo.migration('20250301000000_add_email_index', 'CREATE INDEX "users_email_idx" ON "users" ("email");\n', 'DROP INDEX "users_email_idx";\n');
    await writeFile(join(repo.dir, 'godwit.json'), JSON.stringify({
      environments: { dev: { url: 'embedded:dev' } },
      check: { ignore: [{ rule: 'lint', migration: '20250301000000_add_email_index', reason: 'users has 12 rows' }] },
    }));
    const report = await check();
    expect(report.findings).toEqual([]);
    expect(report.silenced.map((f) => [f.rule, f.silencedBecause])).toEqual([['lint/scan', 'users has 12 rows']]);
    expect(report.silenced[0]!.message).toContain('Blocks writes to users');
    expect(checkExitCode(report)).toBe(0);
  });

  it('refuses, with one clear error each, a folder outside git, an unknown ref and a bad --only', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'godwit-nogit-'));
    try {
      await mkdir(join(outside, 'prisma'));
      await writeFile(join(outside, 'prisma', 'schema.prisma'), 'datasource db {\n  provider = "postgresql"\n}\n');
      await expect(runCheck(await openProject(outside), { base: 'main' })).rejects.toMatchObject({ code: 'not-a-git-repository' });
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
    await expect(check({ base: 'origin/nope' })).rejects.toMatchObject({ code: 'unknown-ref', message: expect.stringContaining('origin/nope') });
    await expect(check({ only: ['style'] })).rejects.toMatchObject({ code: 'bad-options' });
  });
});

describe('godwit check against an environment\'s history', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(() => db.drop());

  it('finds a migration applied with another text, and a pending one older than the head', async () => {
    const open = await openProject(repo.dir);
    const [env] = selectEnvironments(open.project, { url: db.url });
    await withEnvironment(env!, (d) => upgrade({ db: d, env: env!, folder: open.folder }, { to: '20250201000000_create_orders' }));
    await repo.write('prisma/migrations/20250101000000_create_users/migration.sql', `-- edited\n${USERS}`);
    await repo.migration('20250115000000_late', 'SELECT 1;\n', 'SELECT 1;\n');
    const reopened = await openProject(repo.dir);
    const status = await withEnvironment(env!, (d) => readEnvironmentStatus(d, env!, reopened.folder));
    const report = await runCheck(reopened, { environment: status, only: ['ordering', 'integrity'] });
    expect(rules(report)).toEqual(['ordering/out-of-order 20250115000000_late', 'integrity/env-edited 20250101000000_create_users']);
    expect(report.environment).toBe('url');
  });
});
