import type { Db } from '../db/db.ts';
import { lockHolder } from '../lock/advisory-lock.ts';
import { usesShadowCache, type Environment } from '../project/environments.ts';
import type { MigrationsFolder } from '../migrations/read-folder.ts';
import type { OpenProject } from '../project/open-project.ts';
import { readHistory } from '../history/history-table.ts';
import { IN_DATABASE, migrationStates, type MigrationStatus } from './migration-state.ts';

/** Whether the live schema matches what its applied migrations produce. */
export interface DriftReport {
  drifted: boolean;
  /** SQL that would bring the live schema back to what the applied migrations produce; null when none is needed. */
  reconcileSql: string | null;
}

export interface StatusSummary {
  applied: number;
  pending: number;
  failed: number;
  edited: number;
  missingLocally: number;
  rolledBack: number;
  /** The database has migrations the folder lacks while the folder has migrations the database lacks. */
  diverged: boolean;
}

/** One environment's position: the JSON shape `godwit status --json` prints (README: "status JSON"). */
export interface EnvironmentStatus {
  environment: string;
  protected: boolean;
  location: string;
  /** The newest migration applied in this environment, or null at base. */
  head: string | null;
  migrations: MigrationStatus[];
  summary: StatusSummary;
  /** Null when drift was not checked (`--no-drift`). */
  drift: DriftReport | null;
  hasHistoryTable: boolean;
  /**
   * A session holding the migration lock as this status was read (a run of Godwit or Prisma, or a killed run's
   * statement the server is still finishing): the states may change when it ends. Set by environmentStatus only.
   */
  runInProgress?: { pid: number; application: string | null; since: string | null } | undefined;
  /**
   * Tables the database has although no migration is applied (built by hand or by db push): it needs a baseline
   * (resolve --applied), not `up`, whose first CREATE would fail. Set by environmentStatus only, and only then.
   */
  tablesWithoutHistory?: number | undefined;
}

export function summarize(migrations: MigrationStatus[]): StatusSummary {
  const count = (s: MigrationStatus['state']) => migrations.filter((m) => m.state === s).length;
  const summary = {
    applied: count('applied'),
    pending: count('pending'),
    failed: count('failed'),
    edited: count('edited'),
    missingLocally: count('missing-locally'),
    rolledBack: count('rolled-back'),
  };
  return { ...summary, diverged: summary.missingLocally > 0 && summary.pending + summary.rolledBack > 0 };
}

/** True when the history needs attention: what makes `godwit status` exit with 1. */
export function needsAttention(status: EnvironmentStatus): boolean {
  const s = status.summary;
  return s.pending + s.rolledBack + s.failed + s.edited + s.missingLocally > 0 || status.drift?.drifted === true;
}

/**
 * Reads one environment's history and merges it with the folder. Two queries; no schema engine. The folder may still
 * be being read (`godwit status` reads it while connecting): the history is asked for first either way.
 */
export async function readEnvironmentStatus(db: Db, env: Environment, folder: MigrationsFolder | Promise<MigrationsFolder>): Promise<EnvironmentStatus> {
  const historyRead = readHistory(db);
  // Handled here too: it may fail while the folder is still being read, and is awaited (rethrown) just below.
  historyRead.catch(() => undefined);
  const local = await folder;
  const history = await historyRead;
  const migrations = migrationStates(local.migrations, history.rows);
  const applied = migrations.filter((m) => IN_DATABASE.has(m.state));
  return {
    environment: env.name,
    protected: env.protected,
    location: env.display,
    head: applied[applied.length - 1]?.name ?? null,
    migrations,
    summary: summarize(migrations),
    drift: null,
    hasHistoryTable: history.exists,
  };
}

/** A project whose migrations folder may still be being read. */
export type OpenProjectReading = Pick<OpenProject, 'project'> & { folder: MigrationsFolder | Promise<MigrationsFolder> };

/**
 * One environment's status; `drift` replays its applied migrations on a shadow database (slower). The drift code,
 * and with it the schema engine, is imported only when asked for: plain status must start fast.
 */
export async function environmentStatus(open: OpenProject | OpenProjectReading, env: Environment, db: Db, opts: { drift?: boolean } = {}): Promise<EnvironmentStatus> {
  // Read beside the history (one more round trip on a server; an embedded database serves one process).
  const holder = db.kind === 'postgres' ? lockHolder(db).catch(() => undefined) : Promise.resolve(undefined);
  const status = await readEnvironmentStatus(db, env, open.folder);
  const h = await holder;
  if (h) status.runInProgress = { pid: h.pid, application: h.application_name || null, since: h.backend_start ? new Date(h.backend_start).toISOString() : null };
  // Only when nothing is applied: a status at head sends no such query.
  if (status.summary.pending && !status.migrations.some((m) => m.state !== 'pending')) {
    const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'godwit') AND n.nspname NOT LIKE 'pg\\_%' AND c.relname <> '_prisma_migrations'`);
    if (row && row.n > 0) status.tablesWithoutHistory = row.n;
  }
  if (opts.drift) {
    const { detectDrift } = await import('./detect-drift.ts');
    // A protected environment's server keeps no shadow cache databases.
    status.drift = await detectDrift(db, open.project, await open.folder, status.migrations, { shadowCache: usesShadowCache(env) });
  }
  return status;
}
