import type { Db } from '../db/db.ts';
import type { Project } from '../project/load-project.ts';
import type { MigrationsFolder } from '../migrations/read-folder.ts';
import { isEmptyScript, migrationList, projectFilter, withSchemaEngine } from '../schema-engine/engine-session.ts';
import { readCatalog } from '../catalog/read-catalog.ts';
import { snapshottingShadows } from '../catalog/shadow-snapshots.ts';
import { catalogChanges, combineScripts, type CatalogChange } from '../catalog/catalog-changes.ts';
import { groupByKind } from '../catalog/diff-catalogs.ts';
import type { CatalogKind, SnapshotOptions } from '../catalog/types.ts';
import { GodwitError } from '../util/errors.ts';
import { IN_DATABASE, type MigrationStatus } from './migration-state.ts';
import type { DriftReport } from './environment-status.ts';
import { withShadowCache, type ShadowCacheUse } from '../shadow-cache/with-shadow-cache.ts';

/** One object that differs between the live database and its replayed migrations. */
export interface DriftDifference {
  kind: CatalogKind;
  name: string;
  table?: string | undefined;
  /** The live definition; null: absent from the live database. */
  live: string | null;
  /** What the applied migrations produce; null: they do not create it. */
  expected: string | null;
  /** SQL that makes the live object what the migrations produce; null where none can be written. */
  sql: string | null;
  /** Who writes the reconcile SQL: Prisma's differ (what Prisma models) or Godwit (from the catalog). */
  by: 'prisma' | 'godwit';
}

/** The drift report with every difference, by kind and name (additive to DriftReport). */
export interface CatalogDriftReport extends DriftReport {
  differences: DriftDifference[];
  byKind: { kind: CatalogKind; items: DriftDifference[] }[];
  /**
   * Godwit's SQL the other way — from what the migrations produce to the live schema — for the objects Prisma's differ
   * does not carry: what adopting the drift as a migration needs beside Prisma's forward script. Null when none.
   */
  godwitForwardSql: string | null;
  /** Whether the replayed shadow came from Godwit's shadow cache (README, "Shadow cache"). */
  cache?: ShadowCacheUse;
}

export function toDriftDifference(c: CatalogChange): DriftDifference {
  return { kind: c.kind, name: c.name, table: c.table, live: c.a, expected: c.b, sql: c.sql, by: c.by };
}

/**
 * Replays the environment's applied local migrations on a shadow database and compares it with the live database:
 * Prisma's differ for what Prisma models (its reconcile script is kept), and Godwit's catalog snapshot for every kind
 * (CHECK, views, functions, triggers, policies, comments …), read from the same shadow just before Prisma drops it.
 * The reconcile script turns the live schema into the replayed one.
 */
export async function detectDrift(db: Db, project: Project, folder: MigrationsFolder, states: MigrationStatus[], opts: SnapshotOptions & { shadowCache?: boolean } = {}): Promise<CatalogDriftReport> {
  const appliedNames = new Set(states.filter((m) => IN_DATABASE.has(m.state)).map((m) => m.name));
  const applied = folder.migrations.filter((m) => appliedNames.has(m.name));
  // On a server the live catalog is read on the environment's own session while the engine works on its own pools
  // (an embedded database has one connection, which the engine may hold in a transaction: read after it there).
  const early = db.kind === 'postgres' ? readCatalog(db, opts) : null;
  early?.catch(() => undefined);
  const { value: replayed, cache } = await withShadowCache(db, project.shadowDbInitScript, [applied], async (shadowed) => {
    const watched = snapshottingShadows(shadowed, opts);
    const result = await withSchemaEngine(watched.db, project, (engine) =>
      engine.diff({
        from: { tag: 'schemaDatasource', files: project.schemaFiles, configDir: project.dir },
        to: { tag: 'migrations', ...migrationList(project, folder, applied) },
        script: true,
        exitCode: null,
        filters: projectFilter(project),
      }),
    );
    watched.settle();
    const [shadow] = watched.snapshots;
    if (!shadow) throw new GodwitError('drift-shadow-unread', 'Prisma\'s schema engine replayed the migrations but Godwit could not read the replayed schema.');
    return { result, expected: await shadow };
  }, opts.shadowCache ?? true);
  const { result, expected } = replayed;
  const live = await (early ?? readCatalog(db, opts));
  const prismaSql = isEmptyScript(result.stdout) ? '' : (result.stdout ?? '').trim() + '\n';
  const changes = catalogChanges(live, expected, prismaSql, 'Written by Godwit from the catalog: what Prisma\'s differ does not model.', ['live', 'expected']);
  const differences = changes.changes.map(toDriftDifference);
  const reconcileSql = combineScripts(changes.prismaSql, changes) || null;
  const forward = catalogChanges(expected, live, prismaSql, 'Written by Godwit from the catalog: what Prisma\'s differ does not model.', ['expected', 'live']);
  return {
    drifted: reconcileSql !== null || differences.length > 0, reconcileSql, differences, byKind: groupByKind(differences),
    godwitForwardSql: forward.sql || null, cache,
  };
}
