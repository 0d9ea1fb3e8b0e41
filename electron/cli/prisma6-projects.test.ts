import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, sqlOn, type TestDatabase } from '../engine/testing/test-database.ts';
import { checkProject } from '../engine/schema-engine/testing/check-project.ts';
import { runGodwit } from './testing/run-cli.ts';
import { loadProject } from '../engine/project/load-project.ts';

/** A Prisma 6 datasource block, as most real projects still have it. */
const PRISMA6_DATASOURCE = `datasource db {
  provider          = "postgresql"
  url               = env("DATABASE_URL")
  directUrl         = env("DIRECT_URL") // Migrate connects here (url may be a pooler)
  shadowDatabaseUrl = env("SHADOW_DATABASE_URL")
}`;

describe('Prisma 6 projects: datasource urls in schema.prisma', () => {
  let db: TestDatabase;
  let shadow: TestDatabase;
  let project: Awaited<ReturnType<typeof checkProject>>;
  beforeEach(async () => {
    db = await createTestDatabase();
    shadow = await createTestDatabase('godwit_test_shadow');
    project = await checkProject();
  });
  afterEach(async () => {
    await db.drop();
    await shadow.drop();
    await project.remove();
  });

  it('dev comes from the schema\'s variables in .env; new, down-sql and drift run on the unedited schema', async () => {
    const schemaPath = join(project.dir, 'prisma', 'schema.prisma');
    const schema = (await readFile(schemaPath, 'utf8')).replace(/datasource db \{[^}]*\}/, PRISMA6_DATASOURCE);
    await writeFile(schemaPath, schema);
    // url is a pooler Migrate must not use; directUrl is the database.
    await writeFile(join(project.dir, '.env'), `DATABASE_URL=postgresql://nobody@127.0.0.1:1/pooler\nDIRECT_URL=${db.url}\nSHADOW_DATABASE_URL=${shadow.url}\n`);
    const run = (args: string[]) => runGodwit(['--project', project.dir, ...args], { env: { DATABASE_URL: undefined, DIRECT_URL: undefined, SHADOW_DATABASE_URL: undefined } });

    const up = await run(['up', '--yes']);
    expect(up.stderr).toContain('Upgrading dev');
    expect(up.code).toBe(0);

    const created = await run(['new', 'add_b', '--dry-run']);
    expect(created.stderr).not.toContain('Error');
    expect(created.stdout).toContain('CREATE TABLE "B"');
    expect(created.code).toBe(0);
    // The history was replayed on the configured shadow database, not on one Godwit created.
    expect(await sqlOn(shadow.url, "SELECT to_regclass('\"A\"')::text AS t")).toEqual([{ t: '"A"' }]);

    const down = await run(['down-sql', '20250101000000_create_a']);
    expect(down.stdout).toMatch(/DROP TABLE "(public"\.")?A"/);
    expect(down.code).toBe(0);

    const drift = await run(['status', '--drift', '--json']);
    expect(drift.code).toBe(0);
    expect(JSON.parse(drift.stdout)[0]).toMatchObject({ environment: 'dev', drift: { drifted: false } });

    expect(await readFile(schemaPath, 'utf8')).toBe(schema);
  }, 120_000);
});

describe('prisma.config.ts in a folder without node_modules', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'godwit-config-'));
    await mkdir(join(dir, 'db', 'migrations'), { recursive: true });
    await writeFile(join(dir, 'db', 'schema.prisma'), 'datasource db {\n  provider = "postgresql"\n}\n');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it.each([
    ['@prisma/config', "import { defineConfig } from '@prisma/config';"],
    ['prisma/config and dotenv/config', "import 'dotenv/config';\nimport { defineConfig } from 'prisma/config';"],
  ])('loads a config importing %s from Godwit\'s own node_modules', async (_what, imports) => {
    await writeFile(join(dir, 'prisma.config.ts'), `${imports}\n\nexport default defineConfig({\n  schema: 'db/schema.prisma',\n  migrations: { path: 'db/migrations' },\n  datasource: { url: 'postgresql://app@127.0.0.1:5432/app' },\n});\n`);
    const project = await loadProject(dir);
    expect(project.schemaPath).toBe(join(dir, 'db', 'schema.prisma'));
    expect(project.migrationsDir).toBe(join(dir, 'db', 'migrations'));
    expect(project.environments).toEqual([{ name: 'dev', url: 'postgresql://app@127.0.0.1:5432/app', protected: false }]);
    expect(process.env.JITI_ALIAS).toBeUndefined();
  });
});
