import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PROJECT_DIR } from '../engine/demo/open-demo.ts';
import { schemaDump } from '../engine/testing/pg-dump.ts';
import { createTestDatabase, type TestDatabase } from '../engine/testing/test-database.ts';
import { runGodwit } from './testing/run-cli.ts';

const run = promisify(execFile);
const FIXTURE = join(DEMO_PROJECT_DIR, 'electron', 'engine', 'testing', 'real-history');

/** Migration folders of a project, oldest first. */
function migrationNames(migrationsDir: string): string[] {
  return readdirSync(migrationsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
}

/** Applies the first `count` migrations with psql, one file at a time, as a DBA would: the independent witness. */
async function psqlApply(url: string, migrationsDir: string, count?: number): Promise<void> {
  for (const name of migrationNames(migrationsDir).slice(0, count)) {
    await run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', join(migrationsDir, name, 'migration.sql'), url]);
  }
}

/**
 * pg_dump without the history table (psql keeps none), so the two dumps compare the user's schema only. The
 * table-access SETs go too (pg_dump writes them only when some table exists), and runs of blank lines are one.
 */
async function userSchema(url: string): Promise<string> {
  const dump = await schemaDump(url);
  const end = dump.indexOf('\n--\n-- PostgreSQL database dump complete');
  return dump
    .slice(0, end)
    .split('\n--\n-- Name: ')
    .filter((part) => !part.includes('_prisma_migrations'))
    .join('\n--\n-- Name: ')
    .replace(/^SET default_(tablespace|table_access_method) = .*\n/gm, '')
    .concat(dump.slice(end))
    .replace(/\n{3,}/g, '\n\n');
}

describe('a real-shaped history (enums grown, CHECKs, CONCURRENTLY, partitions, renames, backfills, Prisma 6 datasource)', () => {
  let project: string;
  let db: TestDatabase;
  let witness: TestDatabase;
  let migrations: string[];
  const godwit = (...args: string[]) => runGodwit(['--project', project, '--url', db.url, ...args]);

  beforeAll(async () => {
    // A copy, so `new` and `down-sql --write` could never touch the fixture itself.
    project = await mkdtemp(join(tmpdir(), 'godwit-real-history-'));
    await cp(join(FIXTURE, 'prisma'), join(project, 'prisma'), { recursive: true });
    migrations = migrationNames(join(project, 'prisma', 'migrations'));
    db = await createTestDatabase('godwit_real');
    witness = await createTestDatabase('godwit_real_psql');
  });
  afterAll(async () => {
    await db?.drop();
    await witness?.drop();
    await rm(project, { recursive: true, force: true });
  });

  it('has a long history with a down.sql for every migration', () => {
    expect(migrations.length).toBeGreaterThanOrEqual(40);
    for (const name of migrations) expect(existsSync(join(project, 'prisma', 'migrations', name, 'down.sql')), name).toBe(true);
  });

  it('status shows every migration pending, sql previews it, up applies it as psql would', async () => {
    const before = await godwit('status');
    expect(before.code).toBe(1);
    expect(before.stdout).toContain(`0 applied, ${migrations.length} pending`);

    const preview = await godwit('sql');
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout).toContain('CREATE INDEX CONCURRENTLY IF NOT EXISTS "Task_projectId_idx"');
    expect(preview.stdout).toMatch(/Transaction: NO/);

    const up = await godwit('up', '--yes');
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toContain(`(${migrations.length} migration(s) applied)`);
    expect(up.stderr).toContain('runs outside a transaction (CREATE INDEX CONCURRENTLY)');
    // The enum template's own BEGIN … COMMIT runs inside Godwit's transaction: not announced as outside one.
    expect(up.stderr).not.toContain('runs outside a transaction (its own transaction control');

    await psqlApply(witness.url, join(project, 'prisma', 'migrations'));
    expect(await userSchema(db.url)).toBe(await userSchema(witness.url));

    const after = await godwit('status');
    expect(after.code, after.stdout).toBe(0);
    expect(after.stdout).toContain(`${migrations.length} applied, 0 pending`);
  });

  it('drift is none after up, and new finds schema.prisma in step with the history', async () => {
    const drift = await godwit('status', '--drift');
    expect(drift.code, drift.stdout + drift.stderr).toBe(0);
    expect(drift.stdout).toContain('drift: none');

    const created = await godwit('new', 'probe', '--dry-run');
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('no migration needed');
  });

  it('down-sql reverses a hand-written CONCURRENTLY index the differ cannot see', async () => {
    const last = migrations.at(-2)!; // user_email_lower_unique_concurrently
    expect(last).toMatch(/user_email_lower_unique_concurrently$/);
    const res = await godwit('down-sql', last);
    expect(res.code, res.stderr).toBe(0);
    // Built CONCURRENTLY, dropped CONCURRENTLY: no lock that blocks writes on the live table.
    expect(res.stdout).toContain('DROP INDEX CONCURRENTLY IF EXISTS public."User_email_lower_key";');
  });

  it('down --steps N leaves the schema psql has after the first length-N migrations; up again restores it', async () => {
    const steps = 12;
    const preview = await godwit('sql', '--down', '--steps', String(steps));
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout).toContain('DROP INDEX CONCURRENTLY "User_email_lower_key"');

    const down = await godwit('down', '--steps', String(steps), '--yes');
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toContain(`(${steps} migration(s) rolled back)`);

    const partial = await createTestDatabase('godwit_real_psql');
    try {
      await psqlApply(partial.url, join(project, 'prisma', 'migrations'), migrations.length - steps);
      expect(await userSchema(db.url)).toBe(await userSchema(partial.url));
    } finally {
      await partial.drop();
    }

    const up = await godwit('up', '--yes');
    expect(up.code, up.stderr).toBe(0);
    expect(await userSchema(db.url)).toBe(await userSchema(witness.url));
  });

  it('down --base takes the whole history back to an empty schema', async () => {
    const res = await godwit('down', '--base', '--yes');
    expect(res.code, res.stderr).toBe(0);
    const empty = await createTestDatabase('godwit_real_psql');
    try {
      expect(await userSchema(db.url)).toBe(await userSchema(empty.url));
    } finally {
      await empty.drop();
    }
  });
});

// KNOWN DEFECT (reported to the lead, real-projects-run.md #1): `new` hands the generator block to Prisma 7's engine
// unchanged, and a Prisma 6 preview feature it no longer knows ("metrics", as trigger.dev has) fails the command.
// Drift and down-sql already run on the same schema. This test fails until `new` tolerates such generator blocks.
describe('a Prisma 6 generator block with preview features Prisma 7 removed', () => {
  it('new --dry-run still compares schema.prisma with the history', async () => {
    const project = await mkdtemp(join(tmpdir(), 'godwit-real-history-'));
    const db = await createTestDatabase('godwit_real');
    try {
      await cp(join(FIXTURE, 'prisma'), join(project, 'prisma'), { recursive: true });
      const schemaPath = join(project, 'prisma', 'schema.prisma');
      const schema = await readFile(schemaPath, 'utf8');
      await writeFile(schemaPath, schema.replace('provider = "prisma-client-js"', 'provider = "prisma-client-js"\n  previewFeatures = ["metrics", "driverAdapters"]'));
      const res = await runGodwit(['--project', project, '--url', db.url, 'new', 'probe', '--dry-run']);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toContain('no migration needed');
    } finally {
      await db.drop();
      await rm(project, { recursive: true, force: true });
    }
  });
});

/**
 * Real open-source histories, when a directory of them is at hand: GODWIT_REAL_PROJECTS=/dir where each child is a
 * project folder (with prisma/schema.prisma and prisma/migrations), e.g. extracted with `git archive`. They are never
 * copied into this repository, so without the variable the suite is skipped.
 */
const REAL_DIR = process.env.GODWIT_REAL_PROJECTS;
const realProjects = REAL_DIR && existsSync(REAL_DIR)
  ? readdirSync(REAL_DIR, { withFileTypes: true }).filter((d) => existsSync(join(REAL_DIR, d.name, 'prisma', 'migrations'))).map((d) => join(REAL_DIR, d.name))
  : [];
describe.skipIf(realProjects.length === 0)('real projects under GODWIT_REAL_PROJECTS (skipped: the variable is unset or names no project folder)', () => {
  it.each(realProjects)('%s: up equals psql, drift is none, down-sql of the newest migration runs', async (dir) => {
    const db = await createTestDatabase('godwit_real');
    const witness = await createTestDatabase('godwit_real_psql');
    try {
      const godwit = (...args: string[]) => runGodwit(['--project', dir, '--url', db.url, ...args]);
      const up = await godwit('up', '--yes');
      expect(up.code, up.stderr).toBe(0);
      await psqlApply(witness.url, join(dir, 'prisma', 'migrations'));
      expect(await userSchema(db.url)).toBe(await userSchema(witness.url));
      const drift = await godwit('status', '--drift');
      expect(drift.code, drift.stdout.slice(-2000)).toBe(0);
      expect(drift.stdout).toContain('drift: none');
      const downSql = await godwit('down-sql', migrationNames(join(dir, 'prisma', 'migrations')).at(-1)!);
      expect(downSql.code, downSql.stderr).toBe(0);
    } finally {
      await db.drop();
      await witness.drop();
    }
  });
});
