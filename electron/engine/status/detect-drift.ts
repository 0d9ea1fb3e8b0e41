import type { Db } from '../db/db.ts';
import type { Project } from '../project/load-project.ts';
import type { MigrationsFolder } from '../migrations/read-folder.ts';
import { isEmptyScript, migrationList, projectFilter, withSchemaEngine } from '../schema-engine/engine-session.ts';
import { IN_DATABASE, type MigrationStatus } from './migration-state.ts';
import type { DriftReport } from './environment-status.ts';

/**
 * Replays the environment's applied local migrations on a shadow database and diffs that with the live schema.
 * The reconcile script turns the live schema into the replayed one.
 */
export async function detectDrift(db: Db, project: Project, folder: MigrationsFolder, states: MigrationStatus[]): Promise<DriftReport> {
  const appliedNames = new Set(states.filter((m) => IN_DATABASE.has(m.state)).map((m) => m.name));
  const applied = folder.migrations.filter((m) => appliedNames.has(m.name));
  return withSchemaEngine(db, project, async (engine) => {
    const result = await engine.diff({
      from: { tag: 'schemaDatasource', files: project.schemaFiles, configDir: project.dir },
      to: { tag: 'migrations', ...migrationList(project, folder, applied) },
      script: true,
      exitCode: null,
      filters: projectFilter(project),
    });
    const sql = result.stdout ?? '';
    return isEmptyScript(sql) ? { drifted: false, reconcileSql: null } : { drifted: true, reconcileSql: sql.trim() + '\n' };
  });
}
