import { derivedFromScript, type PreparedScript } from '../sql/prepare-script.ts';
import { kindOf, list, str, unwrap, type Json } from '../analysis/parse-tree.ts';
import { scanTokens } from './find-targets.ts';
import type { RestoreItem } from './restore-check.ts';

/**
 * A column a rollback refills from its backup that down.sql adds back NOT NULL without a default, as Prisma's
 * differ writes it (`ADD COLUMN "code" TEXT NOT NULL`). On a table with rows PostgreSQL refuses that before any value
 * could be restored, so Godwit sends the ADD without its NOT NULL (the two words blanked: every offset and line of the
 * script stays where it was), restores the values, then sets NOT NULL.
 */
export interface NotNullReadd {
  schema: string;
  table: string;
  column: string;
  /** Characters of the script to blank: the constraint's `NOT NULL`. */
  blank: { at: number; len: number };
}

const CONSTRAINT_KINDS_WITH_VALUES = new Set(['CONSTR_DEFAULT', 'CONSTR_IDENTITY', 'CONSTR_GENERATED']);

/** An identifier token as PostgreSQL folds it: unquoted lower-cased, quoted as written. */
const identOf = (token: string) => (token.startsWith('"') ? token.slice(1, -1).replace(/""/g, '"') : token.toLowerCase());

/** Character range (in `text`) of the `NOT NULL` of column `column`'s definition in an ALTER TABLE … ADD COLUMN. */
function notNullRange(text: string, column: string): { at: number; len: number } | null {
  const tokens = scanTokens(text);
  if (!tokens) return null;
  const bytes = Buffer.from(text, 'utf8');
  const chars = (byte: number) => bytes.subarray(0, byte).toString('utf8').length;
  let depth = 0;
  let inColumn = false;
  let afterAdd = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const word = t.text.toUpperCase();
    if (t.text === '(' || t.text === '[') depth++;
    else if (t.text === ')' || t.text === ']') depth--;
    if (depth !== 0) continue;
    if (t.text === ',') {
      inColumn = false;
      afterAdd = false;
      continue;
    }
    if (word === 'ADD') {
      afterAdd = true;
      continue;
    }
    if (afterAdd && !inColumn) {
      if (word === 'COLUMN' || word === 'IF' || word === 'NOT' || word === 'EXISTS') continue;
      inColumn = identOf(t.text) === column;
      afterAdd = false;
      continue;
    }
    if (inColumn && word === 'NOT' && tokens[i + 1]?.text.toUpperCase() === 'NULL') {
      const end = tokens[i + 1]!.end;
      return { at: chars(t.start), len: chars(end) - chars(t.start) };
    }
  }
  return null;
}

/** A column down.sql adds back NOT NULL without a value, wherever its table's rows come from. */
interface NotNullAdd {
  schema: string | null;
  table: string;
  column: string;
  blank: { at: number; len: number };
}

const isAddList = (v: unknown): v is NotNullAdd[] => Array.isArray(v) && v.every((a: Partial<NotNullAdd>) =>
  !!a && (a.schema === null || typeof a.schema === 'string') && typeof a.table === 'string' && typeof a.column === 'string' &&
  !!a.blank && Number.isInteger(a.blank.at) && Number.isInteger(a.blank.len));

/** Every ADD COLUMN … NOT NULL without a default in the script: from its parse tree, once (and kept: prepare-script.ts). */
function notNullAdds(script: PreparedScript): NotNullAdd[] {
  return derivedFromScript(script, 'not-null-adds/1', isAddList, () => {
    const out: NotNullAdd[] = [];
    for (const stmt of script.statements) {
      const [kind, body] = kindOf(stmt.node);
      if (kind !== 'AlterTableStmt') continue;
      const rel = unwrap(body.relation, 'RangeVar') ?? (body.relation as Json | undefined);
      const table = str(rel?.relname);
      if (!table) continue;
      for (const c of list(body.cmds)) {
        const cmd = unwrap(c, 'AlterTableCmd');
        if (cmd?.subtype !== 'AT_AddColumn') continue;
        const def = unwrap(cmd.def, 'ColumnDef');
        const name = str(def?.colname);
        if (!name || !def || def.raw_default) continue;
        const kinds = list(def.constraints).map((k) => str(unwrap(k, 'Constraint')?.contype));
        if (!kinds.includes('CONSTR_NOTNULL') || kinds.some((k) => k && CONSTRAINT_KINDS_WITH_VALUES.has(k))) continue;
        const range = notNullRange(stmt.text, name);
        if (range) out.push({ schema: str(rel?.schemaname) ?? null, table, column: name, blank: { at: stmt.offset + range.at, len: range.len } });
      }
    }
    return out;
  });
}

/** down.sql's re-adds of the columns `items` restore that would refuse a table with rows. */
export function notNullReadds(script: PreparedScript, items: RestoreItem[]): NotNullReadd[] {
  const columns = items.filter((i) => i.kind === 'drop-column' && i.table && i.column);
  if (!columns.length) return [];
  const out: NotNullReadd[] = [];
  for (const add of notNullAdds(script)) {
    const item = columns.find((i) => i.table === add.table && i.column === add.column && (!add.schema || add.schema === i.schema));
    if (item) out.push({ schema: item.schema!, table: item.table!, column: add.column, blank: add.blank });
  }
  return out;
}

/** `sql` with the ranges replaced by spaces (line breaks kept), so offsets and lines do not move. */
export function blankOut(sql: string, ranges: { at: number; len: number }[]): string {
  let out = sql;
  for (const r of ranges) out = out.slice(0, r.at) + out.slice(r.at, r.at + r.len).replace(/[^\n]/g, ' ') + out.slice(r.at + r.len);
  return out;
}
