import type { LocalMigration } from '../migrations/read-folder.ts';
import { acceptedChecksums } from '../migrations/checksum.ts';
import type { HistoryRow } from '../history/history-table.ts';

export type MigrationState = 'applied' | 'pending' | 'failed' | 'rolled-back' | 'edited' | 'missing-locally';

/** One migration as one environment sees it. */
export interface MigrationStatus {
  name: string;
  state: MigrationState;
  appliedAt: string | null;
  durationMs: number | null;
  /** False when the applied file differs from the folder's; null when there is nothing to compare. */
  checksumOk: boolean | null;
  local: boolean;
  hasDownSql: boolean;
  /** The log Prisma wrote for a failed migration. */
  logs?: string | undefined;
}

/** States `godwit up` will apply. */
export const APPLICABLE: ReadonlySet<MigrationState> = new Set(['pending', 'rolled-back']);
/** States that count as being in the database. */
export const IN_DATABASE: ReadonlySet<MigrationState> = new Set(['applied', 'edited', 'missing-locally']);

/**
 * Merges the folder and the history table into one ordered list, each migration with its state. Written for 10,000
 * migrations × several environments (the app reads them all at once): no array per history row, no sort when the
 * history names nothing the folder lacks (the folder is read in name order).
 */
export function migrationStates(local: LocalMigration[], rows: HistoryRow[]): MigrationStatus[] {
  // Most names have one history row; a list only for names with several (re-applied after a rollback, retried).
  const byName = new Map<string, HistoryRow | HistoryRow[]>();
  for (const row of rows) {
    const had = byName.get(row.migration_name);
    if (had === undefined) byName.set(row.migration_name, row);
    else if (Array.isArray(had)) had.push(row);
    else byName.set(row.migration_name, [had, row]);
  }
  const localByName = new Map<string, LocalMigration>();
  for (const m of local) localByName.set(m.name, m);
  const out: MigrationStatus[] = [];
  for (const name of mergedNames(local, localByName, byName)) {
    const found = byName.get(name);
    const status = singleState(name, localByName.get(name), found ?? NO_ROWS);
    if (status) out.push(status);
  }
  return out;
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Every name of the folder and of the history, once each, in name order. */
function mergedNames(local: LocalMigration[], localByName: Map<string, LocalMigration>, byName: Map<string, unknown>): string[] {
  const names: string[] = [];
  let sorted = true;
  for (let i = 0; i < local.length; i++) {
    const name = local[i]!.name;
    if (i > 0 && !(names[i - 1]! < name)) sorted = false;
    names.push(name);
  }
  let extra = false;
  for (const name of byName.keys()) {
    if (!localByName.has(name)) {
      names.push(name);
      extra = true;
    }
  }
  if (!sorted || extra) return [...new Set(names)].sort(byCodeUnits);
  return names;
}

const NO_ROWS: HistoryRow[] = [];

/** One status object, always built with the same keys in the same order (object spreads cost microseconds each, cold). */
function statusOf(
  name: string, local: LocalMigration | undefined, state: MigrationState,
  appliedAt: string | null, durationMs: number | null, checksumOk: boolean | null,
): MigrationStatus {
  return { name, local: local !== undefined, hasDownSql: local?.hasDownSql === true, state, appliedAt, durationMs, checksumOk };
}

/** The row that decides a migration's state: of the rows not rolled back, the first finished one, else the last. */
function decidingRow(rows: HistoryRow | HistoryRow[]): HistoryRow | undefined {
  if (!Array.isArray(rows)) return rows.rolled_back_at === null ? rows : undefined;
  const live = rows.filter((r) => r.rolled_back_at === null);
  // The newest row decides: a finished row wins over an older failed attempt that was later resolved.
  return live.find((r) => r.finished_at !== null) ?? live[live.length - 1];
}

/** `rows`: the name's history rows, or its one row (most names have one: no array made for it). */
function singleState(name: string, local: LocalMigration | undefined, rows: HistoryRow | HistoryRow[]): MigrationStatus | null {
  const row = decidingRow(rows);
  if (!row) {
    // A name known only from rolled-back rows is history Prisma itself ignores.
    if (!local) return null;
    return statusOf(name, local, rows !== NO_ROWS ? 'rolled-back' : 'pending', null, null, null);
  }
  if (row.finished_at === null) {
    const failed = statusOf(name, local, 'failed', null, null, null);
    failed.logs = row.logs ?? undefined;
    return failed;
  }
  // node-postgres gives Dates (no copies made); anything else a driver gives is read as a date.
  const finished = row.finished_at instanceof Date ? row.finished_at : new Date(row.finished_at);
  const started = row.started_at instanceof Date ? row.started_at : new Date(row.started_at);
  const appliedAt = finished.toISOString();
  const durationMs = Math.max(0, finished.getTime() - started.getTime());
  if (!local) return statusOf(name, local, 'missing-locally', appliedAt, durationMs, null);
  // The other line-ending variants are only hashed when the file's own checksum does not match.
  const checksumOk = row.checksum === local.checksum || acceptedChecksums(local.upSql).has(row.checksum);
  return statusOf(name, local, checksumOk ? 'applied' : 'edited', appliedAt, durationMs, checksumOk);
}
