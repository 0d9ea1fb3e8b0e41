import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine, SchemaFilter } from '@prisma/schema-engine-wasm';
import type { Db } from '../db/db.ts';
import type { Project } from '../project/load-project.ts';
import type { LocalMigration, MigrationsFolder } from '../migrations/read-folder.ts';
import { loadSchemaEngineWasm } from './load-wasm.ts';
import { engineError } from './engine-error.ts';

export type { SchemaEngine };

/**
 * Runs `fn` with Prisma's schema engine (WebAssembly, in-process) connected to `db` through our adapter factory.
 * The engine is freed afterwards and everything the factory opened (pools, shadow databases) is closed. A panic
 * inside the engine ends the call with one line; the instance is discarded and the next call loads a fresh one.
 */
export async function withSchemaEngine<T>(db: Db, project: Project, fn: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const wasm = await loadSchemaEngineWasm();
  const datamodels = project.schemaFiles.map((f) => [f.path, f.content] as [string, string]);
  const raw = db.schemaEngineAdapter();
  const factory = bindMigrationAwareSqlAdapterFactory(raw);
  // The engine's own timers are unref'd (see load-wasm.ts); this keeps the process alive while it works.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  let engine: SchemaEngine | undefined;
  try {
    engine = await Promise.race([
      wasm.module.SchemaEngine.new({ datamodels: datamodels.length ? datamodels : undefined }, () => undefined, factory),
      wasm.failed,
    ]);
    return await Promise.race([fn(engine), wasm.failed]);
  } catch (err) {
    throw engineError(wasm.broken ? await wasm.failed.catch((e: unknown) => e) : err, engine ? 'run Prisma\'s schema engine' : 'start Prisma\'s schema engine');
  } finally {
    clearInterval(keepAlive);
    if (engine && !wasm.broken) engine.free();
    await raw.close?.();
  }
}

/** Top-level `datasource` and `generator` blocks, as the project already reads them (no `}` inside a block). */
const CONFIG_BLOCK = /^[ \t]*(?:datasource|generator)[ \t]+\w+[ \t]*\{[^}]*\}/gm;

/**
 * The project with its schema cut to its configuration: datasource and generator blocks, no models. The engine reads
 * the schema it starts with only for the datasource's namespaces (it validates the whole of it for that: ~0.1 s for a
 * 170-model schema); a call that takes the schema in its arguments gets it there. A block that might hide a `}` (a
 * comment, a nested brace), or no datasource found, and the schema is passed whole, as before.
 */
export function withConfigOnlySchema(project: Project): Project {
  const blocks = project.schemaFiles.map((f) => [...f.content.matchAll(CONFIG_BLOCK)].map((m) => m[0]));
  const all = blocks.flat();
  const sure = all.some((b) => /^\s*datasource\b/.test(b)) && all.every((b) => !b.includes('//') && b.indexOf('{') === b.lastIndexOf('{'));
  if (!sure) return project;
  const schemaFiles = project.schemaFiles.map((f, i) => ({ path: f.path, content: blocks[i]!.join('\n\n') })).filter((f) => f.content);
  return { ...project, schemaFiles };
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
