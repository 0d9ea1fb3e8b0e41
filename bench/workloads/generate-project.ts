import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateRealisticHistory } from './realistic-history.ts';

/** One generated migration: up and down SQL. */
export interface GeneratedMigration {
  name: string;
  up: string;
  down: string;
}

/** A deterministic history of `count` migrations shaped like a real Prisma project's (realistic-history.ts). */
export function generateMigrations(count: number): GeneratedMigration[] {
  return generateRealisticHistory(count);
}

/** Writes a Prisma project (schema, config-free layout) holding the migrations; returns its folder. */
export async function writeProject(dir: string, migrations: GeneratedMigration[]): Promise<string> {
  await mkdir(join(dir, 'prisma', 'migrations'), { recursive: true });
  await writeFile(join(dir, 'prisma', 'schema.prisma'), 'datasource db {\n  provider = "postgresql"\n}\n');
  await writeFile(join(dir, 'prisma', 'migrations', 'migration_lock.toml'), 'provider = "postgresql"\n');
  for (const m of migrations) {
    const folder = join(dir, 'prisma', 'migrations', m.name);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'migration.sql'), m.up);
    await writeFile(join(folder, 'down.sql'), m.down);
  }
  return dir;
}
