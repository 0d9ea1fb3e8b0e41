import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../engine/testing/test-database.ts';
import { checkProject } from '../../engine/schema-engine/testing/check-project.ts';
import { runGodwit } from '../testing/run-cli.ts';

let db: TestDatabase;
let project: Awaited<ReturnType<typeof checkProject>>;
beforeEach(async () => {
  db = await createTestDatabase();
  project = await checkProject();
});
afterEach(async () => {
  await db.drop();
  await project.remove();
});

/** Generous: the work takes about a second; a timer left by the engine's glue used to hold the process for 60 s. */
const PROMPTLY_MS = 20_000;

it('new, down-sql and status --drift exit as soon as their work is done (environment at head)', async () => {
  const at = ['--project', project.dir, '--url', db.url];
  expect((await runGodwit([...at, 'up', '--yes'])).code).toBe(0);

  const created = await runGodwit([...at, 'new', 'add_b', '--dry-run']);
  expect(created.stdout).toContain('CREATE TABLE "B"');
  expect(created.code).toBe(0);
  expect(created.ms).toBeLessThan(PROMPTLY_MS);

  const down = await runGodwit([...at, 'down-sql', '20250101000000_create_a']);
  expect(down.code).toBe(0);
  expect(down.ms).toBeLessThan(PROMPTLY_MS);

  const drift = await runGodwit([...at, 'status', '--drift']);
  expect(drift.code).toBe(0);
  expect(drift.ms).toBeLessThan(PROMPTLY_MS);
}, 240_000);

it("says why a migration fails on the shadow database, in the database's own words, with its hint", async () => {
  const { mkdir, writeFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const name = '20250103000000_needs_an_extension';
  await mkdir(join(project.dir, 'prisma', 'migrations', name));
  await writeFile(join(project.dir, 'prisma', 'migrations', name, 'migration.sql'), 'CREATE EXTENSION IF NOT EXISTS "godwit_absent_extension";\n');
  const created = await runGodwit(['--project', project.dir, '--url', db.url, 'new', 'add_b', '--dry-run']);
  expect(created.code).toBe(2);
  const lines = created.stderr.trim().split('\n').filter((l) => !l.startsWith('Comparing prisma/schema.prisma'));
  expect(lines[0]).toBe(`Error: Could not run Prisma's schema engine: Migration \`${name}\` failed to apply cleanly to the shadow database: extension "godwit_absent_extension" is not available. The extension must first be installed on the system where PostgreSQL is running.`);
  expect(lines).toHaveLength(1);
  expect(created.stderr).not.toMatch(/schema_engine_wasm|engine\.rs/);
}, 240_000);


it('says why a migration fails on the shadow database when the engine names the error itself (a NOT NULL column over existing rows)', async () => {
  const { mkdir, writeFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const rows = '20250103000000_a_row';
  const label = '20250103000100_require_label';
  await mkdir(join(project.dir, 'prisma', 'migrations', rows));
  await writeFile(join(project.dir, 'prisma', 'migrations', rows, 'migration.sql'), 'CREATE TABLE "Tag" ("id" TEXT PRIMARY KEY);\nINSERT INTO "Tag" VALUES (\'a\');\n');
  await mkdir(join(project.dir, 'prisma', 'migrations', label));
  await writeFile(join(project.dir, 'prisma', 'migrations', label, 'migration.sql'), 'ALTER TABLE "Tag" ADD COLUMN "label" TEXT NOT NULL;\n');
  const created = await runGodwit(['--project', project.dir, '--url', db.url, 'new', 'add_b', '--dry-run']);
  expect(created.code).toBe(2);
  const lines = created.stderr.trim().split('\n').filter((l) => !l.startsWith('Comparing prisma/schema.prisma'));
  expect(lines).toEqual([`Error: Could not run Prisma's schema engine: Migration \`${label}\` failed to apply cleanly to the shadow database: Null constraint failed: (label).`]);
}, 240_000);

it('--schema names a schema file of another name (civitai: prisma/schema.full.prisma), as prisma --schema does, and new says its name', async () => {
  const { rename } = await import('node:fs/promises');
  const { join } = await import('node:path');
  await rename(join(project.dir, 'prisma', 'schema.prisma'), join(project.dir, 'prisma', 'schema.full.prisma'));
  const lost = await runGodwit(['--project', project.dir, '--url', db.url, 'status']);
  expect(lost.code).toBe(2);
  expect(lost.stderr).toContain('name a schema file of another name with --schema');
  // Relative to the current folder, as Prisma's; the migrations folder is the one beside it.
  const at = ['--project', project.dir, '--schema', 'prisma/schema.full.prisma', '--url', db.url];
  const up = await runGodwit([...at, 'up', '--yes'], { cwd: project.dir });
  expect(up.code, up.stderr).toBe(0);
  expect(up.stdout + up.stderr).toContain('2 migration(s) applied');
  const created = await runGodwit([...at, 'new', 'add_b', '--dry-run'], { cwd: project.dir });
  expect(created.code, created.stderr).toBe(0);
  expect(created.stderr).toContain('Comparing prisma/schema.full.prisma with the migration history');
  expect(created.stdout).toContain('CREATE TABLE "B"');
  const missing = await runGodwit(['--project', project.dir, '--schema', 'nope.prisma', '--url', db.url, 'status'], { cwd: project.dir });
  expect(missing.stderr).toContain(`The schema ${join(project.dir, 'nope.prisma')} (--schema) does not exist.`);
}, 120_000);
