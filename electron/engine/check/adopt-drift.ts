import { rm } from 'node:fs/promises';
import type { Db } from '../db/db.ts';
import type { OpenProject } from '../index.ts';
import { usesShadowCache, type Environment } from '../project/environments.ts';
import { readMigrationsFolder } from '../migrations/read-folder.ts';
import { readEnvironmentStatus } from '../status/environment-status.ts';
import { detectDrift } from '../status/detect-drift.ts';
import { IN_DATABASE } from '../status/migration-state.ts';
import { assertHistoryClean } from '../apply/plan.ts';
import { requireConfirmation } from '../apply/run-plan.ts';
import { resolveMigration } from '../apply/resolve.ts';
import { migrationFolderName, writeMigrationPair } from '../create/new-migration.ts';
import { isEmptyScript, migrationList, projectFilter, withSchemaEngine } from '../schema-engine/engine-session.ts';
import { GodwitError } from '../util/errors.ts';
import { readCatalog } from '../catalog/read-catalog.ts';
import { snapshottingShadows } from '../catalog/shadow-snapshots.ts';
import { catalogChanges, combineScripts } from '../catalog/catalog-changes.ts';

export interface AdoptedDrift {
  /** The new migration's folder name. */
  name: string;
  dir: string;
  upSql: string;
  downSql: string;
}

/**
 * The SQL that takes the applied migrations' schema to the live one: the hotfix, as a migration. Prisma's differ
 * writes what Prisma models; the catalog snapshot of the replayed shadow (read before Prisma drops it) against the
 * live one adds the rest (CHECK constraints, views, functions, triggers, …), as drift does in the other direction.
 */
async function forwardSql(db: Db, open: OpenProject, applied: OpenProject['folder']['migrations']): Promise<string> {
  const { project, folder } = open;
  const watched = snapshottingShadows(db);
  const result = await withSchemaEngine(watched.db, project, (engine) =>
    engine.diff({
      from: { tag: 'migrations', ...migrationList(project, folder, applied) },
      to: { tag: 'schemaDatasource', files: project.schemaFiles, configDir: project.dir },
      script: true,
      exitCode: null,
      filters: projectFilter(project),
    }),
  );
  const prismaSql = isEmptyScript(result.stdout) ? '' : `${(result.stdout ?? '').trim()}\n`;
  const [shadow] = watched.snapshots;
  if (!shadow) return prismaSql;
  const changes = catalogChanges(await shadow, await readCatalog(db), prismaSql, 'Written by Godwit from the catalog: what Prisma\'s differ does not model.');
  return combineScripts(prismaSql, changes);
}

/**
 * `godwit adopt-drift --env E NAME`: turns the drift of one environment (a hand-applied hotfix) into a migration —
 * migration.sql reproduces it, down.sql is the reconcile script that removes it — and marks it applied on that
 * environment only, so other environments get it on their next upgrade. Nothing is run on the environment but the
 * history row; it is never reset. Returns null when there is no drift.
 */
export async function adoptDrift(db: Db, env: Environment, open: OpenProject, name: string, opts: { confirm?: string | undefined; lockTimeoutMs?: number | undefined } = {}): Promise<AdoptedDrift | null> {
  requireConfirmation(env, opts.confirm, 'adopt drift into');
  const dirName = migrationFolderName(name);
  const status = await readEnvironmentStatus(db, env, open.folder);
  assertHistoryClean(status, 'adopt drift into');
  const pending = status.migrations.filter((m) => !IN_DATABASE.has(m.state));
  if (pending.length) {
    throw new GodwitError(
      'pending-migrations',
      `${env.name} has ${pending.length} migration(s) not applied (${pending[0]!.name}${pending.length > 1 ? ', …' : ''}): the drift would be measured against a history that is about to change.`,
      `Apply them first (godwit up --env ${env.name}), then adopt the drift.`,
    );
  }
  // Objects of a migration this folder lacks would be read as drift and copied into a new migration, whose rollback
  // then drops them: the folder must know every migration the environment ran.
  const missing = status.migrations.filter((m) => m.state === 'missing-locally');
  if (missing.length) {
    throw new GodwitError(
      'missing-locally',
      `${env.name} has ${missing.length} applied migration(s) this folder does not have (${missing[0]!.name}${missing.length > 1 ? ', …' : ''}): their objects would be adopted as drift.`,
      'Bring the folder up to date with what was deployed (git pull, or the branch it came from), then adopt the drift.',
    );
  }
  const drift = await detectDrift(db, open.project, open.folder, status.migrations, { shadowCache: usesShadowCache(env) });
  if (!drift.drifted || !drift.reconcileSql) return null;
  const inDatabase = new Set(status.migrations.filter((s) => IN_DATABASE.has(s.state)).map((s) => s.name));
  const applied = open.folder.migrations.filter((m) => inDatabase.has(m.name));
  const forward = await forwardSql(db, open, applied);
  if (isEmptyScript(forward)) {
    throw new GodwitError('drift-not-expressible', `${env.name} differs from its migrations, but Prisma's differ gives no SQL that reproduces the difference.`);
  }
  const header = `-- Adopted from drift in ${env.name} by godwit adopt-drift: already in ${env.name}, marked applied there.\n`;
  const upSql = `${header}${forward.trim()}\n`;
  const downSql = `-- Removes what ${dirName} adopted from ${env.name}.\n${drift.reconcileSql.trim()}\n`;
  const dir = await writeMigrationPair(open.folder, dirName, upSql, downSql);
  try {
    const folder = await readMigrationsFolder(open.folder.dir, open.project.dir);
    await resolveMigration({ db, env, folder }, dirName, 'applied', { confirm: opts.confirm, lockTimeoutMs: opts.lockTimeoutMs });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return { name: dirName, dir, upSql, downSql };
}
