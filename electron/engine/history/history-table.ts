import type { Db } from '../db/db.ts';
import type { MigrationsFolder } from '../migrations/read-folder.ts';

export const HISTORY_TABLE = '_prisma_migrations';

/** One row of `_prisma_migrations`, as Prisma writes it. */
export interface HistoryRow {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
}

/** The table exactly as Prisma's schema engine creates it (verified against the engine in a test). */
export const CREATE_HISTORY_TABLE = `CREATE TABLE "${HISTORY_TABLE}" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export async function historyTableExists(db: Db): Promise<boolean> {
  const rows = await db.query<{ t: string | null }>(`SELECT to_regclass('"${HISTORY_TABLE}"')::text AS t`);
  return rows[0]?.t != null;
}

/** All rows in the order Prisma reads them; empty when the table does not exist yet. */
export async function readHistory(db: Db): Promise<{ exists: boolean; rows: HistoryRow[] }> {
  // One round trip: a missing table (SQLSTATE 42P01) is an empty history, not an error.
  try {
    const rows = await db.query<HistoryRow>(
      `SELECT id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count
         FROM "${HISTORY_TABLE}" ORDER BY started_at ASC, migration_name ASC`,
    );
    return { exists: true, rows };
  } catch (err) {
    if ((err as { code?: string }).code === '42P01') return { exists: false, rows: [] };
    throw err;
  }
}

/**
 * Whether `folder` may hold a migration the history does not show applied: its newest is not, or fewer distinct
 * migrations are. A hint, read without the migration lock (apply/run-plan.ts loads the SQL parser early on it); the
 * history read under the lock decides. Any doubt (no history table yet) says yes.
 */
export async function mayHavePending(db: Db, folder: MigrationsFolder): Promise<boolean> {
  const newest = folder.migrations.at(-1);
  if (!newest) return false;
  try {
    const [row] = await db.query<{ applied: string; newest: boolean | null }>(
      `SELECT count(DISTINCT migration_name) AS applied, bool_or(migration_name = $1) AS newest
         FROM "${HISTORY_TABLE}" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      [newest.name],
    );
    return !(row?.newest === true && Number(row.applied) >= folder.migrations.length);
  } catch {
    return true;
  }
}

/** The ids of each named migration's history rows (`table` schema-qualified), in one query. */
export async function historyIdsByName(db: Db, table: string, names: string[]): Promise<Map<string, string[]>> {
  const rows = await db.query<{ n: string; ids: string[] }>(`SELECT migration_name AS n, array_agg(id ORDER BY id) AS ids FROM ${table} WHERE migration_name = ANY($1) GROUP BY migration_name`, [names]);
  return new Map(rows.map((r) => [r.n, r.ids]));
}

/** A name as a quoted SQL identifier. */
export function sqlIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The history table qualified with its schema: a migration's `SET search_path` cannot redirect its rows. */
export function qualifiedHistoryTable(schema: string): string {
  return `${sqlIdentifier(schema)}.${sqlIdentifier(HISTORY_TABLE)}`;
}

/**
 * The history table as this session finds it (the schema where it exists, else where CREATE TABLE would put it:
 * the first schema of the search path, as Prisma's `?schema=` sets it), resolved once before anything runs.
 */
export async function resolveHistoryTable(db: Db): Promise<string> {
  const [row] = await db.query<{ s: string | null }>(
    `SELECT coalesce((SELECT n.nspname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                       WHERE c.oid = to_regclass('"${HISTORY_TABLE}"')), current_schema()) AS s`,
  );
  // No schema on the search path at all: leave the name unqualified and let PostgreSQL say why it cannot be created.
  return row?.s ? qualifiedHistoryTable(row.s) : sqlIdentifier(HISTORY_TABLE);
}

/** Creates the table (in `table`'s schema when qualified) unless it exists. */
export async function ensureHistoryTable(db: Db, table = sqlIdentifier(HISTORY_TABLE)): Promise<void> {
  if (!(await historyTableExists(db))) await db.exec(CREATE_HISTORY_TABLE.replace(`"${HISTORY_TABLE}"`, table));
}

/** A string as a SQL literal (standard_conforming_strings is on in every supported PostgreSQL). */
export function sqlLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
