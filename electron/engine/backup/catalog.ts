import type { Db } from '../db/db.ts';
import { GodwitError } from '../util/errors.ts';
import { backupsTableExists } from './restore-check.ts';
import { DEFAULT_RETENTION_DAYS } from './settings.ts';

/** One backup as `godwit backups` lists it. */
export interface BackupListing {
  id: string;
  migration: string;
  kind: string;
  table: string | null;
  column: string | null;
  rows: number;
  bytes: number;
  createdAt: string;
  ageDays: number;
  restorable: boolean;
  note: string | null;
  /** The migration is still applied with the history row this backup belongs to (a rollback restores it). */
  attached: boolean;
}

interface Row {
  id: string;
  migration_name: string;
  kind: string;
  table_schema: string | null;
  table_name: string | null;
  column_name: string | null;
  rows: string;
  bytes: string;
  created_at: Date;
  age_days: number;
  restorable: boolean;
  note: string | null;
  attached: boolean;
}

/** Every backup in the database, newest first (`attached` needs the history table, schema-qualified). */
export async function listBackups(db: Db, historyTable: string): Promise<BackupListing[]> {
  if (!(await backupsTableExists(db))) return [];
  const history = (await db.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [historyTable]))[0]?.t;
  const attached = history
    ? `EXISTS (SELECT 1 FROM ${historyTable} h WHERE h."id" = b.history_id AND h."finished_at" IS NOT NULL AND h."rolled_back_at" IS NULL)`
    : 'false';
  const rows = await db.query<Row>(
    `SELECT b.id, b.migration_name, b.kind, b.table_schema, b.table_name, b.column_name, b.rows::text, b.bytes::text, b.created_at,
            (extract(epoch FROM clock_timestamp() - b.created_at) / 86400)::float8 AS age_days, b.restorable, b.note, ${attached} AS attached
       FROM godwit.backups b WHERE ${live('b.')}
      ORDER BY min(b.created_at) OVER (PARTITION BY b.history_id) DESC, b.history_id, b.seq`,
  );
  return rows.map((r) => ({
    id: r.id, migration: r.migration_name, kind: r.kind, table: r.table_name ? `${r.table_schema}.${r.table_name}` : null, column: r.column_name,
    rows: Number(r.rows), bytes: Number(r.bytes), createdAt: new Date(r.created_at).toISOString(), ageDays: r.age_days,
    restorable: r.restorable, note: r.note, attached: r.attached,
  }));
}

/** How a dropped backup's tombstone note starts (see dropBackups). */
export const DROPPED_PREFIX = 'dropped on ';
/** The catalog rows that are backups, not tombstones (SQL, on godwit.backups as `b` or unaliased). */
const live = (b = '') => `NOT (${b}kind = 'skipped' AND ${b}note LIKE '${DROPPED_PREFIX}%')`;

/** The ones of `ids` that name no backup of this database (a dropped one's tombstone does not count). */
export async function missingBackups(db: Db, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  if (!(await backupsTableExists(db))) return ids;
  const found = await db.query<{ id: string }>(`SELECT id FROM godwit.backups WHERE id = ANY($1) AND ${live()}`, [ids]);
  return ids.filter((id) => !found.some((r) => r.id === id));
}

/** Drops backups (their tables; their catalog rows become tombstones) in one transaction; returns the ids dropped. */
export async function dropBackups(db: Db, which: { ids: string[] } | { all: true } | { olderThanDays: number }): Promise<string[]> {
  if (!(await backupsTableExists(db))) {
    if ('ids' in which && which.ids.length) throw new GodwitError('unknown-backup', `No backup named ${which.ids[0]}: this database has no backups.`);
    return [];
  }
  const where = `${'all' in which ? 'true' : 'ids' in which ? 'id = ANY($1)' : 'created_at < clock_timestamp() - make_interval(secs => $1::float8 * 86400)'} AND ${live()}`;
  const params = 'all' in which ? [] : 'ids' in which ? [which.ids] : [which.olderThanDays];
  const how = 'olderThanDays' in which ? `on expiry (older than ${which.olderThanDays} days)` : 'with godwit backups drop';
  await db.exec('BEGIN');
  try {
    const rows = await db.query<{ id: string; kind: string }>(`SELECT id, kind FROM godwit.backups WHERE ${where} FOR UPDATE`, params);
    if ('ids' in which) {
      const missing = which.ids.filter((id) => !rows.some((r) => r.id === id));
      if (missing.length) throw new GodwitError('unknown-backup', `No backup named ${missing.join(', ')} (see godwit backups).`);
    }
    for (const r of rows) if (r.kind !== 'skipped') await db.exec(`DROP TABLE IF EXISTS godwit."${r.id.replace(/"/g, '""')}"`);
    // A copy's row stays as a tombstone (kind skipped: nothing to restore), so a rollback of its migration says what
    // does not come back instead of restoring the rest in silence; a --no-backup record goes.
    await db.query(
      `UPDATE godwit.backups SET note = format('${DROPPED_PREFIX}%s %s (%s of %s%s): not restored on rollback', to_char(clock_timestamp(), 'YYYY-MM-DD'), $2::text, kind, table_schema || '.' || table_name, coalesce('.' || column_name, '')),
              kind = 'skipped', rows = 0, bytes = 0
        WHERE id = ANY($1) AND kind <> 'skipped'`,
      [rows.map((r) => r.id), how],
    );
    await db.query('DELETE FROM godwit.backups WHERE id = ANY($1)', [rows.filter((r) => r.kind === 'skipped').map((r) => r.id)]);
    await db.exec('COMMIT');
    return rows.map((r) => r.id);
  } catch (err) {
    await db.exec('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** Drops backups older than the environment's retention (default 30 days; 0 keeps them): at the start of runs. */
export function expireBackups(db: Db, retentionDays: number | undefined): Promise<string[]> {
  const days = retentionDays ?? DEFAULT_RETENTION_DAYS;
  if (days <= 0) return Promise.resolve([]);
  return dropBackups(db, { olderThanDays: days });
}
