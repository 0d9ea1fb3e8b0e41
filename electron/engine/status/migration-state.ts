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

/** Merges the folder and the history table into one ordered list, each migration with its state. */
export function migrationStates(local: LocalMigration[], rows: HistoryRow[]): MigrationStatus[] {
  const byName = new Map<string, HistoryRow[]>();
  for (const row of rows) {
    const list = byName.get(row.migration_name);
    if (list) list.push(row);
    else byName.set(row.migration_name, [row]);
  }
  const localByName = new Map(local.map((m) => [m.name, m]));
  const names = [...new Set([...localByName.keys(), ...byName.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: MigrationStatus[] = [];
  for (const name of names) {
    const status = singleState(name, localByName.get(name), byName.get(name) ?? NO_ROWS);
    if (status) out.push(status);
  }
  return out;
}

const NO_ROWS: HistoryRow[] = [];

/** One status object, always built with the same keys in the same order (object spreads cost microseconds each, cold). */
function statusOf(
  name: string, local: LocalMigration | undefined, state: MigrationState,
  appliedAt: string | null, durationMs: number | null, checksumOk: boolean | null,
): MigrationStatus {
  return { name, local: local !== undefined, hasDownSql: local?.hasDownSql === true, state, appliedAt, durationMs, checksumOk };
}

function singleState(name: string, local: LocalMigration | undefined, rows: HistoryRow[]): MigrationStatus | null {
  const live = rows.length === 1 ? (rows[0]!.rolled_back_at === null ? rows : NO_ROWS) : rows.filter((r) => r.rolled_back_at === null);
  // The newest row decides: a finished row wins over an older failed attempt that was later resolved.
  const row = live.find((r) => r.finished_at !== null) ?? live[live.length - 1];
  if (!row) {
    // A name known only from rolled-back rows is history Prisma itself ignores.
    if (!local) return null;
    return statusOf(name, local, rows.length > 0 ? 'rolled-back' : 'pending', null, null, null);
  }
  if (row.finished_at === null) {
    const failed = statusOf(name, local, 'failed', null, null, null);
    failed.logs = row.logs ?? undefined;
    return failed;
  }
  const finished = new Date(row.finished_at);
  const appliedAt = finished.toISOString();
  const durationMs = Math.max(0, finished.getTime() - new Date(row.started_at).getTime());
  if (!local) return statusOf(name, local, 'missing-locally', appliedAt, durationMs, null);
  // The other line-ending variants are only hashed when the file's own checksum does not match.
  const checksumOk = row.checksum === local.checksum || acceptedChecksums(local.upSql).has(row.checksum);
  return statusOf(name, local, checksumOk ? 'applied' : 'edited', appliedAt, durationMs, checksumOk);
}
