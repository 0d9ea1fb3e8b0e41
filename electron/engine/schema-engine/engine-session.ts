import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine, SchemaFilter } from '@prisma/schema-engine-wasm';
import type { Db } from '../db/db.ts';
import type { Project } from '../project/load-project.ts';
import type { LocalMigration, MigrationsFolder } from '../migrations/read-folder.ts';
import { GodwitError } from '../util/errors.ts';
import { lastEnginePanic, loadSchemaEngineWasm } from './load-wasm.ts';

export type { SchemaEngine };

/**
 * Runs `fn` with Prisma's schema engine (WebAssembly, in-process) connected to `db` through our adapter factory.
 * The engine is freed afterwards; shadow databases it created are dropped by the factory.
 */
export async function withSchemaEngine<T>(db: Db, project: Project, fn: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const wasm = await loadSchemaEngineWasm();
  const datamodels = project.schemaFiles.map((f) => [f.path, f.content] as [string, string]);
  const raw = db.schemaEngineAdapter();
  const factory = bindMigrationAwareSqlAdapterFactory(raw);
  let engine: SchemaEngine;
  try {
    engine = await wasm.SchemaEngine.new({ datamodels: datamodels.length ? datamodels : undefined }, () => undefined, factory);
  } catch (err) {
    await raw.close?.();
    throw engineError(err, 'start Prisma\'s schema engine');
  }
  try {
    return await fn(engine);
  } catch (err) {
    throw engineError(err, 'run Prisma\'s schema engine');
  } finally {
    engine.free();
    await raw.close?.();
  }
}

/** Schema engine errors arrive as objects or strings with Rust details; keep the first meaningful line. */
export function engineError(err: unknown, doing: string): GodwitError {
  if (err instanceof GodwitError) return err;
  const e = err as { message?: string; meta?: { message?: string } } | string;
  const raw = typeof e === 'string' ? e : (e.meta?.message ?? e.message ?? lastEnginePanic() ?? String(err));
  const line = raw.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? raw;
  return new GodwitError('schema-engine', `Could not ${doing}: ${line}`);
}

export const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };

export function projectFilter(project: Project): SchemaFilter {
  return { externalTables: project.externalTables, externalEnums: project.externalEnums };
}

/** A MigrationList of the given migrations, as the engine reads a migrations folder. */
export function migrationList(project: Project, folder: MigrationsFolder, migrations: LocalMigration[] = folder.migrations): MigrationList {
  return {
    baseDir: folder.dir,
    // `diff` with a migrations target refuses a lock file without content, so always name the connector.
    lockfile: { path: folder.lockfilePath, content: folder.lockfileContent ?? 'provider = "postgresql"\n' },
    shadowDbInitScript: project.shadowDbInitScript,
    migrationDirectories: migrations.map((m) => ({
      path: m.name,
      migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: m.upSql } },
    })),
  };
}

const EMPTY_SCRIPT = /^\s*(--[^\n]*\n?\s*)*$/;

/** True when a diff script holds no statements (the engine prints "-- This is an empty migration." then). */
export function isEmptyScript(sql: string | null | undefined): boolean {
  return !sql || EMPTY_SCRIPT.test(sql);
}
