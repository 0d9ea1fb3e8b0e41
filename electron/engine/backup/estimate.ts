import type { Db } from '../db/db.ts';
import type { BackupTarget } from './find-targets.ts';

/** What a backup of one target will copy, estimated from the environment's statistics before the run. */
export interface BackupEstimate {
  /** Rows it copies; null when unknown (the table does not exist yet: an earlier statement of the run creates it). */
  rows: number | null;
  bytes: number | null;
  /** Whether a rollback can put the data back; `note` says why not, or what is special. */
  restorable: boolean;
  note: string | null;
  /** A widening type change keeps every value: nothing is copied. */
  skipped: boolean;
}

interface TableFacts {
  oid: number;
  reltuples: number;
  table_bytes: string;
  heap_bytes: string;
  toast_bytes: string;
  schemaname: string;
  relname: string;
  key: string[] | null;
  /** Unique indexes (no predicate, no expression) whose columns are all NOT NULL: keys when there is no primary key. */
  unique_keys: string[][] | null;
}

const PAGE = 8192;
const PAGE_USABLE = PAGE - 24;
const align8 = (n: number) => Math.ceil(n / 8) * 8;

/** Bytes of a freshly written heap of `rows` tuples of `dataWidth` bytes each (tuple header, item pointer, pages). */
export function heapBytes(rows: number, dataWidth: number): number {
  if (rows <= 0) return 0;
  const tuple = 24 + align8(dataWidth);
  const perPage = Math.max(1, Math.floor(PAGE_USABLE / (tuple + 4)));
  return Math.ceil(rows / perPage) * PAGE;
}

/** numeric's typmod → digits before the point and after it. */
const numericDigits = (typmod: number) => ({ before: ((typmod - 4) >> 16) - ((typmod - 4) & 0xffff), after: (typmod - 4) & 0xffff });
const INTEGER_DIGITS: Record<string, number> = { int2: 5, int4: 10, int8: 19 };

/** Mirrors godwit.widens_v2 (backup-sql.ts): a type change that keeps every value. */
export function widens(o: string, om: number, n: string, nm: number): boolean {
  if (n === 'text') return true;
  if (o === n) {
    if (['varchar', 'varbit', 'bpchar', 'bit'].includes(o)) return nm < 0 || (om >= 0 && nm >= om);
    if (o === 'numeric') return nm < 0 || (om >= 0 && numericDigits(nm).before >= numericDigits(om).before && numericDigits(nm).after >= numericDigits(om).after);
    if (['timestamp', 'timestamptz', 'time', 'timetz'].includes(o)) return nm < 0 || nm >= 6 || (om >= 0 && nm >= om);
    return nm === om;
  }
  if (n === 'numeric' && INTEGER_DIGITS[o] !== undefined) return nm < 0 || numericDigits(nm).before >= INTEGER_DIGITS[o];
  const pairs = ['int2>int4', 'int2>int8', 'int4>int8', 'float4>float8', 'int2>float8', 'int4>float8', 'varchar>text', 'bpchar>varchar'];
  return pairs.includes(`${o}>${n}`) && (n !== 'varchar' || nm < 0);
}

async function tableFacts(db: Db, table: string): Promise<TableFacts | null> {
  const rows = await db.query<TableFacts>(
    `SELECT c.oid::int AS oid, c.reltuples::float8 AS reltuples, pg_table_size(c.oid)::text AS table_bytes, pg_relation_size(c.oid)::text AS heap_bytes,
            n.nspname AS schemaname, c.relname, CASE WHEN c.reltoastrelid = 0 THEN '0' ELSE pg_total_relation_size(c.reltoastrelid)::text END AS toast_bytes,
            (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum WHERE i.indrelid = c.oid AND i.indisprimary) AS key,
            (SELECT json_agg(u.cols) FROM (
               SELECT (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum) AS cols
                 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL
                  AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum = ANY (i.indkey::int2[]) AND NOT a.attnotnull)) u) AS unique_keys
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass($1)`,
    [table],
  );
  return rows[0] ?? null;
}

/**
 * A table small enough to count outright: its statistics may be stale (rows loaded since the last ANALYZE: an
 * estimate 9× low was seen on ghostfolio), and counting 16 MB takes milliseconds.
 */
const countable = (t: TableFacts) => Number(t.heap_bytes) <= 16 * 1024 * 1024;

/** A count on a small table, else reltuples, or a count when the table was never analysed (-1) and is not huge. */
async function rowCount(db: Db, t: TableFacts): Promise<number | null> {
  if (t.reltuples >= 0 && !countable(t)) return Math.round(t.reltuples);
  if (Number(t.heap_bytes) > 256 * 1024 * 1024) return null;
  const r = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${qualified(t)}`);
  return Number(r[0]!.n);
}

const qualified = (t: TableFacts) => `"${t.schemaname.replace(/"/g, '""')}"."${t.relname.replace(/"/g, '""')}"`;

const ALIGN: Record<string, number> = { c: 1, s: 2, i: 4, d: 8 };

/**
 * Average bytes of a tuple's data holding `columns` in that order: each column's average stored width (pg_stats
 * when analysed, else a sample of 1,000 rows), placed at its type's alignment (short varlena values are unaligned).
 */
async function columnWidths(db: Db, t: TableFacts, columns: string[]): Promise<number> {
  const stats = await db.query<{ attname: string; avg_width: number }>(
    'SELECT attname::text, avg_width FROM pg_stats WHERE schemaname = $1 AND tablename = $2 AND attname = ANY($3)',
    [t.schemaname, t.relname, columns],
  );
  const types = await db.query<{ attname: string; attlen: number; typalign: string }>(
    'SELECT a.attname::text, a.attlen::int, ty.typalign::text FROM pg_attribute a JOIN pg_type ty ON ty.oid = a.atttypid WHERE a.attrelid = $1 AND a.attname = ANY($2)',
    [t.oid, columns],
  );
  let offset = 0;
  for (const c of columns) {
    const s = stats.find((r) => r.attname === c);
    let width = s?.avg_width;
    if (width === undefined) {
      const q = `SELECT coalesce(avg(pg_column_size("${c.replace(/"/g, '""')}")), 0)::float8 AS w FROM (SELECT * FROM ${qualified(t)} LIMIT 1000) s`;
      width = (await db.query<{ w: number }>(q))[0]!.w;
    }
    const type = types.find((r) => r.attname === c);
    const align = type && (type.attlen !== -1 || width > 126) ? (ALIGN[type.typalign] ?? 1) : 1;
    offset = Math.ceil(offset / align) * align + width;
  }
  return offset;
}

/** The planner's row estimate of a query (EXPLAIN, nothing runs); null when it cannot be planned yet. */
async function plannedRows(db: Db, query: string): Promise<number | null> {
  try {
    const r = await db.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${query}`);
    const plan = r[0]?.['QUERY PLAN'];
    const parsed = (typeof plan === 'string' ? JSON.parse(plan) : plan) as { Plan: { 'Plan Rows': number } }[];
    return Math.round(parsed[0]!.Plan['Plan Rows']);
  } catch {
    return null;
  }
}

/**
 * What a DELETE reaches beyond its table through foreign keys' ON DELETE actions. A CASCADE's rows, and the foreign
 * keys a SET NULL or SET DEFAULT changes in a table with a primary key, are copied with the deleted rows (backup_v4)
 * and restored; a SET NULL/DEFAULT in a table without one is not. Null when nothing is reached.
 */
async function onDeleteReach(db: Db, oid: number): Promise<string | null> {
  const r = await db.query<{ copied: string | null; left: string | null }>(
    `WITH fk AS (
       SELECT format('%s (ON DELETE %s)', c.conrelid::regclass, CASE c.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' ELSE 'SET DEFAULT' END) AS what,
              c.confdeltype = 'c' OR EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid AND i.indisprimary) AS copied
         FROM pg_constraint c WHERE c.contype = 'f' AND c.confrelid = $1 AND c.conrelid <> $1 AND c.confdeltype IN ('c', 'n', 'd'))
     SELECT string_agg(what, ', ' ORDER BY what) FILTER (WHERE copied) AS copied, string_agg(what, ', ' ORDER BY what) FILTER (WHERE NOT copied) AS left FROM fk`,
    [oid],
  );
  const notes = [
    r[0]?.copied ? `rows of ${r[0].copied} that reference the deleted rows are copied too, and restored` : null,
    r[0]?.left ? `rows of ${r[0].left} are changed by PostgreSQL and not copied (no primary key): a rollback does not change them back` : null,
  ].filter(Boolean);
  return notes.length ? notes.join('; ') : null;
}

/**
 * Rows a WHERE matches: a count, read-only, on a small table (stale statistics) or one never analysed (the planner
 * guesses from its default selectivity: hundreds of rows for a table of sixty); else the planner's estimate.
 */
async function matchedRows(db: Db, t: TableFacts, table: string, rowsQuery: string): Promise<number | null> {
  const query = `SELECT * FROM ${table} WHERE ctid IN (${rowsQuery}\n)`;
  if (countable(t) || (t.reltuples < 0 && Number(t.heap_bytes) <= 64 * 1024 * 1024)) {
    try {
      return Number((await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM (${query}\n) AS matched`))[0]!.n);
    } catch {
      // Planned instead.
    }
  }
  return plannedRows(db, query);
}

/** No more rows than the table has. */
const capped = (n: number | null, rows: number | null) => (n === null || rows === null ? n : Math.min(n, rows));

const UNKNOWN: BackupEstimate = { rows: null, bytes: null, restorable: true, note: 'the table does not exist before the run (an earlier statement or migration of the run creates it): size unknown', skipped: false };

/** Estimates one target's copy from pg_class, pg_stats and the planner, on the environment as it is now. */
/**
 * Which of `tables` (quoted as find-targets.ts writes them) exist now, in one round trip; null if that query fails:
 * each estimate then looks for itself. On a database being built from scratch every table a migration destroys is
 * created earlier in the run, and each target cost a catalog query (~60 ms of a 1,000-migration up).
 */
export async function existingTables(db: Db, tables: string[]): Promise<Set<string> | null> {
  const names = [...new Set(tables)];
  if (!names.length) return new Set();
  try {
    const rows = await db.query<{ t: string }>('SELECT t FROM unnest($1::text[]) AS t WHERE to_regclass(t) IS NOT NULL', [names]);
    return new Set(rows.map((r) => r.t));
  } catch {
    return null;
  }
}

/** What copying `target` would take; `exists` false (from existingTables) answers "unknown" without asking. */
export async function estimateTarget(db: Db, target: BackupTarget, exists?: boolean): Promise<BackupEstimate> {
  if (exists === false) return UNKNOWN;
  const t = await tableFacts(db, target.table);
  if (!t) return UNKNOWN;
  const rows = await rowCount(db, t);
  const tableBytes = Number(t.table_bytes);
  // As backup_v4 picks it: the primary key, else (none, or one using a column this migration adds) a unique index on
  // older NOT NULL columns.
  const older = (cols: string[]) => !cols.some((c) => target.newColumns.includes(c));
  t.key = t.key && older(t.key) ? t.key : (t.unique_keys ?? []).find(older) ?? null;
  const noKey = !t.key;
  switch (target.kind) {
    case 'drop-table':
    case 'truncate':
      return { rows, bytes: tableBytes, restorable: true, note: null, skipped: false };
    case 'drop-column':
    case 'alter-type': {
      const col = await db.query<{ typname: string; atttypmod: number }>(
        'SELECT t.typname::text, a.atttypmod FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid WHERE a.attrelid = $1 AND a.attname = $2 AND a.attnum > 0 AND NOT a.attisdropped',
        [t.oid, target.column],
      );
      if (!col[0]) return { ...UNKNOWN, note: `column ${target.column} does not exist before the run: nothing to copy unless an earlier statement or migration of the run adds it` };
      if (target.kind === 'alter-type' && target.newType && widens(col[0].typname, col[0].atttypmod, target.newType.name, target.newType.typmod)) {
        return { rows: 0, bytes: 0, restorable: true, note: 'a widening type change keeps every value: nothing is copied', skipped: true };
      }
      const keyed = !noKey && !t.key!.includes(target.column!);
      if (!keyed) {
        const why = noKey ? 'the table has no primary key' : 'the column is part of the primary key';
        return { rows, bytes: tableBytes, restorable: false, note: `${why}: rows cannot be matched again, so the whole table is copied, and a rollback cannot restore it`, skipped: false };
      }
      const width = await columnWidths(db, t, [...t.key!, target.column!]);
      return { rows, bytes: rows === null ? null : heapBytes(rows, width), restorable: true, note: null, skipped: false };
    }
    case 'delete':
    case 'update': {
      // The WHERE may end with a -- comment: the clause closes on its own line (as backup_v4 does).
      const matched = target.rowsQuery ? capped(await matchedRows(db, t, target.table, target.rowsQuery), rows) : rows;
      const unknownRows = target.rowsQuery === '';
      const keySet = !noKey && target.kind === 'update' && t.key!.some((k) => target.setColumns.includes(k));
      const restorable = (!noKey && !keySet) || (target.kind === 'delete' && !unknownRows);
      const reach = target.kind === 'delete' ? await onDeleteReach(db, t.oid) : null;
      const note = restorable
        ? [unknownRows ? 'the rows it matches cannot be told from the text: every row is copied, and a rollback puts back those whose key is missing' : null, reach].filter(Boolean).join('; ') || null
        : target.kind === 'update'
          ? `${keySet ? 'the UPDATE changes primary key columns' : 'the table has no primary key'}: updated rows cannot be matched again, so a rollback cannot put the old values back`
          : 'the table has no primary key and the rows the DELETE matches cannot be told: every row is copied for recovery by hand';
      if (matched === null) return { rows: null, bytes: null, restorable, note, skipped: false };
      if (target.kind === 'update' && restorable) {
        // Only the key and the columns it sets are copied.
        return { rows: matched, bytes: heapBytes(matched, await columnWidths(db, t, [...t.key!, ...target.setColumns])), restorable, note, skipped: false };
      }
      // Whole rows are copied: their average width (wide values are TOASTed in the table and the copy alike).
      const all = await db.query<{ a: string }>('SELECT attname::text AS a FROM pg_attribute WHERE attrelid = $1 AND attnum > 0 AND NOT attisdropped', [t.oid]);
      const toast = Number(t.toast_bytes);
      const share = rows ? Math.min(1, matched / rows) : 1;
      return { rows: matched, bytes: heapBytes(matched, await columnWidths(db, t, all.map((r) => r.a))) + Math.round(toast * share), restorable, note, skipped: false };
    }
  }
}
