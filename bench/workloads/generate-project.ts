import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One generated migration: up and down SQL. */
export interface GeneratedMigration {
  name: string;
  up: string;
  down: string;
}

/**
 * A deterministic history of `count` data-free migrations cycling through CREATE TABLE, ADD COLUMN, CREATE INDEX and
 * ALTER COLUMN, each with the down.sql that reverses it exactly.
 */
export function generateMigrations(count: number): GeneratedMigration[] {
  const out: GeneratedMigration[] = [];
  let table = 0;
  for (let i = 0; i < count; i++) {
    const stamp = String(20200101000000 + i * 100);
    const t = `bench_t${table}`;
    let up: string;
    let down: string;
    let label: string;
    switch (i % 4) {
      case 0:
        table++;
        label = `create_bench_t${table}`;
        up = `-- CreateTable\nCREATE TABLE "bench_t${table}" (\n    "id" SERIAL NOT NULL,\n    "name" TEXT NOT NULL,\n    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,\n\n    CONSTRAINT "bench_t${table}_pkey" PRIMARY KEY ("id")\n);\n`;
        down = `-- DropTable\nDROP TABLE "bench_t${table}";\n`;
        break;
      case 1:
        label = `add_${t}_score`;
        up = `-- AlterTable\nALTER TABLE "${t}" ADD COLUMN "score" INTEGER;\n`;
        down = `-- AlterTable\nALTER TABLE "${t}" DROP COLUMN "score";\n`;
        break;
      case 2:
        label = `index_${t}_name`;
        up = `-- CreateIndex\nCREATE INDEX "${t}_name_idx" ON "${t}"("name");\n`;
        down = `-- DropIndex\nDROP INDEX "${t}_name_idx";\n`;
        break;
      default:
        label = `alter_${t}_score`;
        up = `-- AlterTable\nALTER TABLE "${t}" ALTER COLUMN "score" SET DATA TYPE BIGINT;\n`;
        down = `-- AlterTable\nALTER TABLE "${t}" ALTER COLUMN "score" SET DATA TYPE INTEGER;\n`;
    }
    out.push({ name: `${stamp}_${label}`, up, down });
  }
  return out;
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
