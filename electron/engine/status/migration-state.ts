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
    const list = byName.get(row.migration_name) ?? [];
    list.push(row);
    byName.set(row.migration_name, list);
  }
  const localByName = new Map(local.map((m) => [m.name, m]));
  const names = [...new Set([...localByName.keys(), ...byName.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return names.flatMap((name) => stateOf(name, localByName.get(name), byName.get(name) ?? []));
}

function stateOf(name: string, local: LocalMigration | undefined, rows: HistoryRow[]): MigrationStatus[] {
  const [status] = [singleState(name, local, rows)];
  return status ? [status] : [];
}

function singleState(name: string, local: LocalMigration | undefined, rows: HistoryRow[]): MigrationStatus | null {
  const live = rows.filter((r) => r.rolled_back_at === null);
  // The newest row decides: a finished row wins over an older failed attempt that was later resolved.
  const row = live.find((r) => r.finished_at !== null) ?? live[live.length - 1];
  const base = { name, local: local !== undefined, hasDownSql: local?.downSql != null };
  if (!row) {
    // A name known only from rolled-back rows is history Prisma itself ignores.
    if (!local) return null;
    const state = rows.length > 0 ? 'rolled-back' : 'pending';
    return { ...base, state, appliedAt: null, durationMs: null, checksumOk: null };
  }
  if (row.finished_at === null) {
    return { ...base, state: 'failed', appliedAt: null, durationMs: null, checksumOk: null, logs: row.logs ?? undefined };
  }
  const appliedAt = new Date(row.finished_at).toISOString();
  const durationMs = Math.max(0, new Date(row.finished_at).getTime() - new Date(row.started_at).getTime());
  if (!local) return { ...base, state: 'missing-locally', appliedAt, durationMs, checksumOk: null };
  // The other line-ending variants are only hashed when the file's own checksum does not match.
  const checksumOk = row.checksum === local.checksum || acceptedChecksums(local.upSql).has(row.checksum);
  return { ...base, state: checksumOk ? 'applied' : 'edited', appliedAt, durationMs, checksumOk };
}
