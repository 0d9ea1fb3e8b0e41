import { kindOf, str, strings, type Json } from '../analysis/parse-tree.ts';
import { splitStatements } from './split-statements.ts';

/** A rename a script makes: of a table, of a column or a constraint of `table`, of an index, or of a type. */
export type ScriptRename = { kind: 'table' | 'column' | 'constraint' | 'index' | 'type'; table: string; old: string; new: string };

/**
 * A name as PostgreSQL keeps it: cut to 63 bytes (NAMEDATALEN - 1), as it does, with a notice, to a longer one
 * (formbricks renames indexes to names of 80 characters).
 */
function stored(name: string): string {
  const bytes = Buffer.from(name);
  if (bytes.length <= 63) return name;
  let end = 63;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--; // not inside a character
  return bytes.subarray(0, end).toString();
}

/**
 * The renames a script makes, in order, names as stored; none when it holds no RENAME or does not parse. Needs the SQL
 * parser loaded (a down-sql, a rollback's plan and a preview load it).
 */
export function renamesIn(sql: string): ScriptRename[] {
  if (!/\bRENAME\b/i.test(sql)) return [];
  const { statements, parseError } = splitStatements(sql);
  if (parseError) return [];
  return statements.flatMap((s): ScriptRename[] => {
    const [kind, body] = kindOf(s.node);
    const relation = str((body.relation as Json | undefined)?.relname);
    const newName = str(body.newname);
    const sub = str(body.subname);
    if (kind !== 'RenameStmt' || !newName) return [];
    const r = (kind: ScriptRename['kind'], table: string, old: string): ScriptRename[] => [{ kind, table: stored(table), old: stored(old), new: stored(newName) }];
    if (body.renameType === 'OBJECT_TYPE') {
      const type = strings(body.object).at(-1);
      return type ? r('type', '', type) : [];
    }
    if (!relation) return [];
    if (body.renameType === 'OBJECT_TABLE') return r('table', relation, relation);
    if (body.renameType === 'OBJECT_COLUMN' && sub) return r('column', relation, sub);
    if (body.renameType === 'OBJECT_TABCONSTRAINT' && sub) return r('constraint', relation, sub);
    if (body.renameType === 'OBJECT_INDEX') return r('index', '', relation);
    return [];
  });
}
