import type { Db } from '../db/db.ts';
import type { PlannedStep } from '../apply/plan.ts';
import { kindOf, list, str, unwrap, type Json } from '../analysis/parse-tree.ts';
import { derivedFromScript } from '../sql/prepare-script.ts';

/** A backup a rollback will restore, from godwit.backups. */
export interface RestoreItem {
  id: string;
  migration: string;
  kind: string;
  schema: string | null;
  table: string | null;
  column: string | null;
  columnType: string | null;
  rows: number;
  bytes: number;
  restorable: boolean;
  note: string | null;
  /** The upgrade kept what it left in the copied values (backup-sql.ts digests_v1): rows written since keep theirs. */
  comparesRows: boolean;
  /** The key its rows are matched by again; null without one. */
  keyColumns: string[] | null;
}

interface Row {
  id: string;
  migration_name: string;
  kind: string;
  table_schema: string | null;
  table_name: string | null;
  column_name: string | null;
  column_type: string | null;
  rows: string;
  bytes: string;
  restorable: boolean;
  note: string | null;
  compares: boolean;
  key_columns: string[] | null;
}

export async function backupsTableExists(db: Db): Promise<boolean> {
  const r = await db.query<{ t: string | null }>(`SELECT to_regclass('godwit.backups')::text AS t`);
  return Boolean(r[0]?.t);
}

/** The backups of the applied history rows of `names` (a re-applied migration's older backups are not its own). */
export async function readRestores(db: Db, historyTable: string, names: string[]): Promise<RestoreItem[]> {
  if (!names.length || !(await backupsTableExists(db))) return [];
  const exists = await db.query<{ t: string | null }>(`SELECT to_regclass($1)::text AS t`, [historyTable]);
  if (!exists[0]?.t) return [];
  const rows = await db.query<Row>(
    `SELECT b.id, b.migration_name, b.kind, b.table_schema, b.table_name, b.column_name, b.column_type, b.rows::text, b.bytes::text, b.restorable, b.note, b.key_columns,
            EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = to_regclass(format('godwit.%I', b.id)) AND a.attname = 'godwit_after' AND NOT a.attisdropped) AS compares
       FROM godwit.backups b JOIN ${historyTable} h ON h."id" = b.history_id
      WHERE h."migration_name" = ANY($1) AND h."finished_at" IS NOT NULL AND h."rolled_back_at" IS NULL
      ORDER BY b.migration_name, b.seq DESC`,
    [names],
  );
  return rows.map((r) => ({
    id: r.id, migration: r.migration_name, kind: r.kind, schema: r.table_schema, table: r.table_name, column: r.column_name,
    columnType: r.column_type, rows: Number(r.rows), bytes: Number(r.bytes), restorable: r.restorable, note: r.note,
    comparesRows: r.compares, keyColumns: r.key_columns,
  }));
}

const isSets = (v: unknown): v is Record<string, string[]> =>
  !!v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((cols) => Array.isArray(cols) && cols.every((c) => typeof c === 'string'));

/** For each table (bare name) down.sql creates, adds columns to or retypes: those columns, `*` when it creates it. */
function columnsDownSqlSets(step: PlannedStep): Record<string, string[]> {
  return derivedFromScript(step.script, 'down-sets/1', isSets, () => {
    const out = new Map<string, Set<string>>();
    const add = (table: string, column: string) => out.set(table, (out.get(table) ?? new Set()).add(column));
    for (const s of step.script.statements) {
      const [kind, body] = kindOf(s.node);
      const rel = str((unwrap(body.relation, 'RangeVar') ?? (body.relation as Json | undefined))?.relname);
      if (!rel) continue;
      if (kind === 'CreateStmt' || kind === 'CreateTableAsStmt') add(rel, '*');
      if (kind !== 'AlterTableStmt') continue;
      for (const c of list(body.cmds)) {
        const cmd = unwrap(c, 'AlterTableCmd');
        if (cmd?.subtype === 'AT_AlterColumnType' && str(cmd.name)) add(rel, str(cmd.name)!);
        if (cmd?.subtype === 'AT_AddColumn') {
          const name = str(unwrap(cmd.def, 'ColumnDef')?.colname);
          if (name) add(rel, name);
        }
      }
    }
    return Object.fromEntries([...out].map(([t, cols]) => [t, [...cols]]));
  });
}

/** Where a copied column's type is looked up: schema, table, column. */
const columnKey = (i: RestoreItem) => `${i.schema}\u0000${i.table}\u0000${i.column}`;

/**
 * The current type of every column the restores put values back into (a drop-column's or alter-type's), in one round
 * trip for the whole rollback: null where the column does not exist now.
 */
export async function currentColumnTypes(db: Db, items: RestoreItem[]): Promise<Map<string, string | null>> {
  const wanted = items.filter((i) => i.restorable && (i.kind === 'drop-column' || i.kind === 'alter-type'));
  const types = new Map<string, string | null>();
  if (!wanted.length) return types;
  // An enum column whose copy holds text takes its values back through text whatever the enum is called now (the
  // restore's godwit.enum_from_text_v1): its type then counts as the one copied.
  const rows = await db.query<{ k: number; t: string | null; e: boolean | null }>(
    `SELECT w.k, x.t, x.e FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS w(s, t, c, id, k)
       LEFT JOIN LATERAL (SELECT format_type(a.atttypid, a.atttypmod) AS t,
                                 ty.typtype = 'e' AND EXISTS (SELECT 1 FROM pg_attribute b WHERE b.attrelid = to_regclass(format('godwit.%I', w.id))
                                                              AND b.attname = w.c AND b.atttypid = 'text'::regtype AND NOT b.attisdropped) AS e
                            FROM pg_attribute a JOIN pg_type ty ON ty.oid = a.atttypid
                           WHERE a.attrelid = to_regclass(format('%I.%I', w.s, w.t)) AND a.attname = w.c AND a.attnum > 0 AND NOT a.attisdropped) x ON true`,
    [wanted.map((i) => i.schema), wanted.map((i) => i.table), wanted.map((i) => i.column), wanted.map((i) => i.id)],
  );
  for (const r of rows) {
    const item = wanted[Number(r.k) - 1]!;
    types.set(columnKey(item), r.e ? item.columnType : r.t);
  }
  return types;
}

/**
 * Why restoring a step's backups will fail, said before the rollback runs: a copy made without a primary key; a
 * rollback that cannot run in one transaction; a column whose type changed since the copy (and down.sql does not
 * set it back). What only down.sql's outcome decides is checked again when restoring, inside the transaction.
 * `types` is currentColumnTypes() of the rollback's restores.
 */
export function restoreProblems(step: PlannedStep, items: RestoreItem[], types: Map<string, string | null>): string[] {
  const problems: string[] = [];
  if (step.script.nonTransactional.length && items.some((i) => i.kind !== 'skipped')) {
    problems.push(`its down.sql runs outside a transaction (${step.script.nonTransactional.join(', ')}), so its data cannot be restored with it`);
  }
  for (const item of items) {
    if (item.kind === 'skipped') continue;
    const where = `${item.schema}.${item.table}${item.column ? `.${item.column}` : ''}`;
    if (!item.restorable) {
      problems.push(`${where} (${item.kind}): ${item.note ?? 'not restorable'}`);
      continue;
    }
    if (item.kind !== 'drop-column' && item.kind !== 'alter-type') continue;
    const now = types.get(columnKey(item)) ?? null;
    const sets = columnsDownSqlSets(step);
    const setByDown = Object.hasOwn(sets, item.table!) ? sets[item.table!]! : [];
    if (setByDown.includes('*') || setByDown.includes(item.column!)) continue;
    if (now === null) problems.push(`${where} (${item.kind}): down.sql does not add the column back`);
    else if (now !== item.columnType) problems.push(`${where} (${item.kind}): the column is ${now} now, it was ${item.columnType} when copied`);
  }
  return problems;
}
