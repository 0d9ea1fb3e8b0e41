import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadProject } from './load-project.ts';

const SCHEMA = 'datasource db {\n  provider = "postgresql"\n  url      = env("GODWIT_LOCATION_URL")\n}\n';
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'godwit-schema-location-'));
  process.env.GODWIT_LOCATION_URL = 'postgresql://app@127.0.0.1:5432/located';
});
afterEach(async () => {
  delete process.env.GODWIT_LOCATION_URL;
  await rm(dir, { recursive: true, force: true });
});

const put = async (rel: string, text: string) => {
  await mkdir(join(dir, rel, '..'), { recursive: true });
  await writeFile(join(dir, rel), text);
};

describe('a project without prisma.config.ts: the schema where Prisma looks for it', () => {
  it('schema.prisma at the top, its migrations beside it (documenso\'s packages/prisma)', async () => {
    await put('schema.prisma', SCHEMA);
    await put('migrations/20240101000000_init/migration.sql', 'CREATE TABLE t (id int);\n');
    const project = await loadProject(dir);
    expect([project.schemaPath, project.migrationsDir]).toEqual([join(dir, 'schema.prisma'), join(dir, 'migrations')]);
    expect(project.environments.map((e) => e.url)).toEqual(['env:GODWIT_LOCATION_URL']);
  });

  it('a prisma/schema/ folder of .prisma files, migrations in prisma/migrations (papermark, Prisma 6.5)', async () => {
    await put('prisma/schema/schema.prisma', SCHEMA);
    await put('prisma/schema/link.prisma', 'model Link {\n  id String @id\n}\n');
    await put('prisma/migrations/20240101000000_init/migration.sql', 'CREATE TABLE t (id int);\n');
    const project = await loadProject(dir);
    expect([project.schemaPath, project.migrationsDir]).toEqual([join(dir, 'prisma', 'schema'), join(dir, 'prisma', 'migrations')]);
    expect(project.schemaFiles.map((f) => f.path.slice(dir.length + 1)).sort()).toEqual(['prisma/schema/link.prisma', 'prisma/schema/schema.prisma']);
  });

  it("package.json's prisma.schema first, then prisma/schema.prisma before schema.prisma, as Prisma's order", async () => {
    await put('schema.prisma', SCHEMA);
    await put('prisma/schema.prisma', SCHEMA);
    expect((await loadProject(dir)).schemaPath).toBe(join(dir, 'prisma', 'schema.prisma'));
    await put('db/main.prisma', SCHEMA);
    await put('package.json', JSON.stringify({ name: 'x', prisma: { schema: 'db/main.prisma', seed: 'tsx seed.ts' } }));
    const project = await loadProject(dir);
    expect([project.schemaPath, project.migrationsDir]).toEqual([join(dir, 'db', 'main.prisma'), join(dir, 'db', 'migrations')]);
  });

  it('none of them: one sentence naming where it looked', async () => {
    await put('package.json', '{ not json');
    await expect(loadProject(dir)).rejects.toThrow(/is not a Prisma project: it has no prisma\.config\.ts, and no schema where Prisma looks without one \(package\.json's prisma\.schema, prisma\/schema\.prisma, prisma\/schema\/, schema\.prisma\)\./);
  });
});
