import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { upgrade } from '../index.ts';
import type { Project } from '../project/load-project.ts';
import { onEnv, projectOn } from '../testing/fixtures.ts';
import { createTestDatabase, sqlOn, type TestDatabase } from '../testing/test-database.ts';
import { migrationList, projectFilter, withConfigOnlySchema, withSchemaEngine } from './engine-session.ts';

const CONFIG = `datasource db {
  provider = "postgresql"
  schemas  = ["public", "audit"]
}

generator client {
  provider = "prisma-client"
  output   = "../generated"
}
`;
const ITEM = 'model Item {\n  id Int @id\n\n  @@schema("public")\n}\n';
const LOG = 'model Log {\n  id   Int    @id\n  note String\n\n  @@schema("audit")\n}\n';
const MIGRATION = `CREATE SCHEMA IF NOT EXISTS "audit";
CREATE TABLE "public"."Item" ("id" INTEGER NOT NULL, CONSTRAINT "Item_pkey" PRIMARY KEY ("id"));
CREATE TABLE "audit"."Log" ("id" INTEGER NOT NULL, "note" TEXT NOT NULL, CONSTRAINT "Log_pkey" PRIMARY KEY ("id"));
`;

const files = (content: string) => ({ schemaFiles: [{ path: 'schema.prisma', content }] }) as unknown as Project;

describe('withConfigOnlySchema', () => {
  it('keeps the datasource and generator blocks, drops the models, and keeps the schema whole when unsure', () => {
    expect(withConfigOnlySchema(files(`${CONFIG}\n${ITEM}\n${LOG}`)).schemaFiles).toEqual([{ path: 'schema.prisma', content: CONFIG.trimEnd() }]);
    // A comment inside a block might hide a brace: the schema goes whole.
    const commented = `datasource db {\n  provider = "postgresql" // a } in a comment\n}\n${ITEM}`;
    expect(withConfigOnlySchema(files(commented)).schemaFiles[0]!.content).toBe(commented);
    // No datasource found: whole.
    expect(withConfigOnlySchema(files(ITEM)).schemaFiles[0]!.content).toBe(ITEM);
    // Several files: each keeps its own blocks, files with none are left out.
    const multi = { schemaFiles: [{ path: 'a.prisma', content: ITEM }, { path: 'b.prisma', content: `${CONFIG}\n${LOG}` }] } as unknown as Project;
    expect(withConfigOnlySchema(multi).schemaFiles.map((f) => f.path)).toEqual(['b.prisma']);
  });
});

describe('an engine started on the configuration alone', () => {
  let db: TestDatabase;
  let dir: string;
  beforeEach(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'godwit-config-only-'));
  });
  afterEach(async () => {
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('describes the datasource\'s namespaces as with the whole schema: Prisma\'s data-loss check sees the table in the second schema', async () => {
    await mkdir(join(dir, 'prisma', 'migrations', '20270101000000_init'), { recursive: true });
    await writeFile(join(dir, 'prisma', 'migrations', '20270101000000_init', 'migration.sql'), MIGRATION);
    await writeFile(join(dir, 'prisma', 'migrations', 'migration_lock.toml'), 'provider = "postgresql"\n');
    await writeFile(join(dir, 'prisma', 'schema.prisma'), `${CONFIG}\n${ITEM}\n${LOG}`);
    const { open, env } = await projectOn(dir, db.url);
    await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, {}));
    await sqlOn(db.url, `INSERT INTO "audit"."Log" ("id", "note") VALUES (1, 'kept')`);
    // schema.prisma drops the model of the second schema's table, which holds a row.
    await writeFile(join(dir, 'prisma', 'schema.prisma'), `${CONFIG}\n${ITEM}`);
    const { open: edited } = await projectOn(dir, db.url);
    const { project, folder } = edited;
    const input = { migrationsList: migrationList(project, folder), schema: { files: project.schemaFiles }, filters: projectFilter(project) };
    const check = (started: Project) => onEnv(env, (conn) => withSchemaEngine(conn, started, async (engine) => {
      await engine.diagnoseMigrationHistory({ migrationsList: input.migrationsList, optInToShadowDatabase: true, filters: input.filters });
      return engine.evaluateDataLoss(input);
    }));
    const whole = await check(project);
    expect(whole.warnings.map((w) => w.message).join(' ')).toMatch(/Log/);
    const configOnly = withConfigOnlySchema(project);
    expect(configOnly.schemaFiles.map((f) => f.content).join('')).not.toMatch(/model /);
    expect(await check(configOnly)).toEqual(whole);
    // Started with no schema at all, it would not see it: the configuration is what matters.
    expect(await check({ ...project, schemaFiles: [] })).not.toEqual(whole);
  });
});
