import type * as LibPgQuery from 'libpg-query';
import { derivedFromScript, type PreparedScript } from '../sql/prepare-script.ts';
import { isObject, kindOf, list, str, strings, typeRef, unwrap, type Json } from '../analysis/parse-tree.ts';
import { loadLibpgQuery } from '../sql/split-statements.ts';

/** What a statement destroys, and so what Godwit copies before it runs. */
export type BackupKind = 'drop-table' | 'truncate' | 'drop-column' | 'alter-type' | 'delete' | 'update';

/** One thing a migration is about to destroy, found in its parse tree. */
export interface BackupTarget {
  /** 0-based index of the destroying statement in the script. */
  statementIndex: number;
  kind: BackupKind;
  /** The table as written (quoted identifiers, schema when given): resolved on the search path when it runs. */
  table: string;
  /** drop-column, alter-type: the column; update: null. */
  column: string | null;
  /** alter-type: the new type as the catalog names it, and its typmod (a widening is not copied). */
  newType: { name: string; typmod: number } | null;
  /** update: the columns its SET assigns (only they are put back). */
  setColumns: string[];
  /**
   * delete/update: a query of the matched rows' ctids (`[WITH …] SELECT a.ctid FROM t a … WHERE …`); null: every row
   * (no WHERE); '': every row is copied because the matched ones cannot be told (WHERE CURRENT OF, a CTE that writes,
   * a DELETE/UPDATE inside a CTE), and restored only where its key is missing.
   */
  rowsQuery: string | null;
  /** Columns of the table this migration added before the statement: not a key a rollback can match rows by. */
  newColumns: string[];
  /** The statement's first line, for the preview. */
  statement: string;
}

let scanner: typeof LibPgQuery | undefined;
/** The scanner locates WHERE/FROM/USING/RETURNING in DELETE and UPDATE text; it shares libpg_query's module. */
export async function loadScanner(): Promise<void> {
  scanner ??= await loadLibpgQuery();
}

/** libpg_query's tokens of `text` (offsets in UTF-8 bytes); null when the scanner is not loaded or refuses it. */
export function scanTokens(text: string): LibPgQuery.ScanToken[] | null {
  if (!scanner) return null;
  try {
    return scanner.scanSync(text).tokens;
  } catch {
    return null;
  }
}

export const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;

function relationText(rv: Json | undefined): string | undefined {
  const name = str(rv?.relname);
  if (!name) return undefined;
  const schema = str(rv?.schemaname);
  return schema ? `${quoteIdent(schema)}.${quoteIdent(name)}` : quoteIdent(name);
}

const aliasOf = (rv: Json | undefined) => str(unwrap(rv?.alias, 'Alias')?.aliasname ?? (isObject(rv?.alias) ? (rv!.alias as Json).aliasname : undefined));

/**
 * The ctids of the rows a DELETE/UPDATE matches, as a query: its own FROM/USING list and WHERE clause, cut from its
 * text at the top-level keywords the scanner finds (offsets are UTF-8 bytes). Null when the form is not covered.
 */
function rowsQuery(text: string, body: Json, joinKeyword: 'FROM' | 'USING', table: string): string | null {
  if (!body.whereClause) return null;
  // A WITH of plain SELECTs is kept in front of the ctid query; one that writes must not run twice.
  const ctes = cteList(body);
  if (ctes.some((c) => kindOf(unwrap(c, 'CommonTableExpr')?.ctequery)[0] !== 'SelectStmt')) return '';

  const bytes = Buffer.from(text, 'utf8');
  const cut = (a: number, b: number) => bytes.subarray(a, b).toString('utf8');
  const tokens = scanTokens(text);
  if (!tokens) return '';
  let depth = 0;
  const at: Record<string, number> = {};
  let afterSet = joinKeyword === 'USING';
  let verbAt: number | undefined;
  for (const t of tokens) {
    if (t.text === '(' || t.text === '[') depth++;
    else if (t.text === ')' || t.text === ']') depth--;
    else if (depth === 0) {
      const word = t.text.toUpperCase();
      if (verbAt === undefined && (word === 'DELETE' || word === 'UPDATE')) verbAt = t.start;
      if (word === 'SET') afterSet = true;
      if ((word === 'WHERE' || word === 'RETURNING' || (word === joinKeyword && afterSet)) && at[word] === undefined) at[word] = t.start;
      if (word === 'CURRENT' && at.WHERE !== undefined) return ''; // WHERE CURRENT OF a cursor
    }
  }
  if (at.WHERE === undefined) return '';
  const withText = ctes.length && verbAt !== undefined ? `${cut(0, verbAt).trim()} ` : '';
  const whereEnd = at.RETURNING ?? bytes.length;
  const where = cut(at.WHERE + 'WHERE'.length, whereEnd).trim();
  const alias = aliasOf(unwrap(body.relation, 'RangeVar') ?? (body.relation as Json));
  const self = alias ? `${table} AS ${quoteIdent(alias)}` : table;
  const ref = alias ? quoteIdent(alias) : table;
  const joined = at[joinKeyword] !== undefined ? `, ${cut(at[joinKeyword]! + joinKeyword.length, at.WHERE).trim()}` : '';
  return `${withText}SELECT ${ref}.ctid FROM ${self}${joined} WHERE ${where}`;
}

/** The CTEs of a statement's WITH clause. */
const cteList = (body: Json): unknown[] => list(unwrap(body.withClause, 'WithClause')?.ctes ?? (body.withClause as Json | undefined)?.ctes);

const firstLine = (text: string) => {
  const line = text.split('\n', 1)[0]!.trim();
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
};

/**
 * What each statement of a script destroys: DROP TABLE, TRUNCATE, DROP COLUMN, ALTER COLUMN TYPE, DELETE and UPDATE
 * (with or without WHERE: both lose the old values). An unparsed script yields nothing (the run gate says so).
 */
export function findBackupTargets(script: PreparedScript): BackupTarget[] {
  return derivedFromScript(script, 'backup-targets/1', isTargetList, () => targetsOf(script));
}

const KINDS: ReadonlySet<unknown> = new Set<BackupKind>(['drop-table', 'truncate', 'drop-column', 'alter-type', 'delete', 'update']);
const strOrNull = (v: unknown) => v === null || typeof v === 'string';
const strList = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
/** A stored list is used only when every field has its type (hand-checked: zod would cost `up` its load). */
const isTargetList = (v: unknown): v is BackupTarget[] => Array.isArray(v) && v.every((t: Partial<Record<keyof BackupTarget, unknown>>) =>
  !!t && Number.isInteger(t.statementIndex) && KINDS.has(t.kind) && typeof t.table === 'string' && strOrNull(t.column) &&
  (t.newType === null || (!!t.newType && typeof (t.newType as { name?: unknown }).name === 'string' && typeof (t.newType as { typmod?: unknown }).typmod === 'number')) &&
  strList(t.setColumns) && strOrNull(t.rowsQuery) && strList(t.newColumns) && typeof t.statement === 'string');

function targetsOf(script: PreparedScript): BackupTarget[] {
  const out: BackupTarget[] = [];
  // Tables and columns this migration creates held nothing before it: destroying or rewriting them later in the same
  // migration loses no data a rollback could give back (and down.sql removes them, so a copy could not be restored).
  const newTables = new Set<string>();
  const newColumns = new Set<string>();
  const isNew = (table: string, column?: string | null) => newTables.has(table) || (column != null && newColumns.has(`${table}\u0000${column}`));
  const push = (t: BackupTarget) => {
    if (!isNew(t.table, t.column)) out.push(t);
  };
  for (const [i, stmt] of script.statements.entries()) {
    const [kind, body] = kindOf(stmt.node);
    const base = { statementIndex: i, column: null, newType: null, setColumns: [], rowsQuery: null, newColumns: [] as string[], statement: firstLine(stmt.text) };
    const added = (table: string) => [...newColumns].filter((k) => k.startsWith(`${table}\u0000`)).map((k) => k.slice(table.length + 1));
    // A DELETE or UPDATE inside a WITH (`WITH moved AS (DELETE … RETURNING …) INSERT …`) destroys rows too; which
    // ones cannot be cut from the text, so every row of its table is copied.
    for (const c of cteList(body)) {
      const [ck, cb] = kindOf(unwrap(c, 'CommonTableExpr')?.ctequery);
      if (ck !== 'DeleteStmt' && ck !== 'UpdateStmt') continue;
      const table = relationText(unwrap(cb.relation, 'RangeVar') ?? (cb.relation as Json));
      if (!table) continue;
      const setColumns = ck === 'UpdateStmt' ? [...new Set(list(cb.targetList).map((t) => str(unwrap(t, 'ResTarget')?.name)).filter((n): n is string => !!n && !isNew(table, n)))] : [];
      if (ck === 'UpdateStmt' && !setColumns.length) continue;
      push({ ...base, kind: ck === 'UpdateStmt' ? 'update' : 'delete', table, setColumns, rowsQuery: '', newColumns: added(table) });
    }
    switch (kind) {
      case 'CreateStmt':
      case 'CreateTableAsStmt': {
        const rv = unwrap(body.relation, 'RangeVar') ?? (body.relation as Json | undefined) ?? unwrap(unwrap(body.into, 'IntoClause')?.rel, 'RangeVar');
        const table = relationText(rv);
        if (table) newTables.add(table);
        break;
      }
      case 'DropStmt': {
        if (body.removeType !== 'OBJECT_TABLE') break;
        for (const obj of list(body.objects)) {
          const names = strings(obj);
          if (names.length) push({ ...base, kind: 'drop-table', table: names.slice(-2).map(quoteIdent).join('.') });
        }
        break;
      }
      case 'TruncateStmt':
        for (const rel of list(body.relations)) {
          const table = relationText(unwrap(rel, 'RangeVar'));
          if (table) push({ ...base, kind: 'truncate', table });
        }
        break;
      case 'DeleteStmt':
      case 'UpdateStmt': {
        const table = relationText(unwrap(body.relation, 'RangeVar') ?? (body.relation as Json));
        if (!table) break;
        const update = kind === 'UpdateStmt';
        const setColumns = update ? [...new Set(list(body.targetList).map((t) => str(unwrap(t, 'ResTarget')?.name)).filter((n): n is string => !!n && !isNew(table, n)))] : [];
        // An UPDATE that only fills columns this migration added (a backfill) overwrites nothing.
        if (update && !setColumns.length) break;
        push({ ...base, kind: update ? 'update' : 'delete', table, setColumns, rowsQuery: rowsQuery(stmt.text, body, update ? 'FROM' : 'USING', table), newColumns: added(table) });
        break;
      }
      case 'AlterTableStmt': {
        if (body.objtype !== undefined && body.objtype !== 'OBJECT_TABLE') break;
        const table = relationText(unwrap(body.relation, 'RangeVar') ?? (body.relation as Json));
        if (!table) break;
        for (const c of list(body.cmds)) {
          const cmd = unwrap(c, 'AlterTableCmd');
          const column = str(cmd?.name);
          if (cmd?.subtype === 'AT_AddColumn') {
            const added = str(unwrap(cmd.def, 'ColumnDef')?.colname);
            if (added) newColumns.add(`${table}\u0000${added}`);
            continue;
          }
          if (!cmd || !column) continue;
          if (cmd.subtype === 'AT_DropColumn') push({ ...base, kind: 'drop-column', table, column, newColumns: added(table) });
          else if (cmd.subtype === 'AT_AlterColumnType') {
            const def = unwrap(cmd.def, 'ColumnDef');
            const plain = !def?.raw_default; // a USING expression computes new values: always copied
            const t = typeRef(def?.typeName);
            push({ ...base, kind: 'alter-type', table, column, newType: plain && t ? t : null, newColumns: added(table) });
          }
        }
        break;
      }
      default:
        break;
    }
  }
  return out;
}
