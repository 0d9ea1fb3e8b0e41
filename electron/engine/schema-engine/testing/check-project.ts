import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openProject, type Environment, type OpenProject } from '../../index.ts';

/** The repro: a table with a CHECK constraint, then a NOT VALID one; the schema adds table "B" on top. */
export const CHECK_MIGRATIONS: [string, string][] = [
  ['20250101000000_create_a', 'CREATE TABLE "A"("id" INTEGER NOT NULL,"x" INTEGER, CONSTRAINT "A_pkey" PRIMARY KEY ("id"));\nALTER TABLE "A" ADD CONSTRAINT "A_x_check" CHECK ("x" > 0);\n'],
  ['20250102000000_check_not_valid', 'ALTER TABLE "A" ADD CONSTRAINT "A_x_small" CHECK ("x" < 1000) NOT VALID;\n'],
];

const SCHEMA = `datasource db {
  provider = "postgresql"
}

model A {
  id Int  @id
  x  Int?
}

model B {
  id Int @id
}
`;

/** A classic-layout project (prisma/schema.prisma, prisma/migrations) in a temporary folder. */
export async function checkProject(): Promise<{ dir: string; open(): Promise<OpenProject>; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'godwit-check-'));
  await mkdir(join(dir, 'prisma', 'migrations'), { recursive: true });
  await writeFile(join(dir, 'prisma', 'schema.prisma'), SCHEMA);
  await writeFile(join(dir, 'prisma', 'migrations', 'migration_lock.toml'), 'provider = "postgresql"\n');
  for (const [name, sql] of CHECK_MIGRATIONS) {
    await mkdir(join(dir, 'prisma', 'migrations', name));
    await writeFile(join(dir, 'prisma', 'migrations', name, 'migration.sql'), sql);
  }
  return { dir, open: () => openProject(dir), remove: () => rm(dir, { recursive: true, force: true }) };
}

export function postgresEnv(url: string): Environment {
  return { name: 'dev', protected: false, display: 'test', target: { kind: 'postgres', url } };
}

/** An in-memory PGlite environment (a fresh database each time it is opened). */
export function pgliteEnv(): Environment {
  return { name: 'dev', protected: false, display: 'memory', target: { kind: 'embedded', name: 'mem', dataDir: 'memory://' } };
}
