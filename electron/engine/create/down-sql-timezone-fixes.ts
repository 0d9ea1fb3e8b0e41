import { sqlIdentifier, sqlLiteral } from '../history/history-table.ts';
import { isObject, kindOf, list, str, strings, unwrap, type Json } from '../analysis/parse-tree.ts';
import { alterCommands, applyEdits, parsed, qualifiedIn, subcommandTexts, type Edit } from './down-sql-edits.ts';

/** The zone of a USING `col AT TIME ZONE 'zone'` (pg_catalog.timezone(zone, col)) on the column itself, or null. */
function zoneOf(using: unknown, column: string): string | null {
  const call = isObject(using) ? unwrap(using, 'FuncCall') : undefined;
  if (!call || strings(call.funcname).at(-1) !== 'timezone') return null;
  const [zone, arg] = list(call.args);
  const z = str(((isObject(zone) ? unwrap(zone, 'A_Const') : undefined)?.sval as Json | undefined)?.sval);
  const col = strings((isObject(arg) ? unwrap(arg, 'ColumnRef') : undefined)?.fields);
  return z !== undefined && col.length === 1 && col[0] === column ? z : null;
}

/** `table\0column` → zone, for each type change of the migration made `USING col AT TIME ZONE 'zone'`. */
function zonedTypeChanges(upSql: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of parsed(upSql) ?? []) {
    const [kind, body] = kindOf(s.node);
    const table = str((body.relation as Json | undefined)?.relname);
    if (kind !== 'AlterTableStmt' || !table) continue;
    for (const c of alterCommands(body)) {
      const column = str(c.name);
      const zone = c.subtype === 'AT_AlterColumnType' && column ? zoneOf(unwrap(c.def, 'ColumnDef')?.raw_default, column) : null;
      if (zone !== null) out.set(`${table}\0${column}`, zone);
    }
  }
  return out;
}

/**
 * A migration that turns timestamp into timestamptz `USING col AT TIME ZONE 'UTC'` (hoppscotch) reads its values as
 * UTC; Prisma's reverse, `SET DATA TYPE TIMESTAMP(3)` without USING, converts with the session's time zone, and
 * every value written since the upgrade came back shifted by the server's offset (New York: four hours). The reverse
 * gets the same `USING col AT TIME ZONE 'zone'`, which converts back in that zone (either way round).
 */
export function withTimeZonesReversed(prismaSql: string, upSql: string): string {
  const zones = zonedTypeChanges(upSql);
  const statements = zones.size ? parsed(prismaSql) : null;
  if (!statements) return prismaSql;
  const edits: Edit[] = [];
  for (const s of statements) {
    const [kind, body] = kindOf(s.node);
    const table = str((body.relation as Json | undefined)?.relname);
    if (kind !== 'AlterTableStmt' || !table) continue;
    const cmds = alterCommands(body);
    const pieces = subcommandTexts(s.text, cmds);
    if (!pieces) continue;
    let changed = false;
    for (const [i, c] of cmds.entries()) {
      const column = str(c.name);
      const zone = column !== undefined ? zones.get(`${table}\0${column}`) : undefined;
      if (c.subtype !== 'AT_AlterColumnType' || zone === undefined || unwrap(c.def, 'ColumnDef')?.raw_default) continue;
      pieces[i] = `${pieces[i]} USING (${sqlIdentifier(column!)} AT TIME ZONE ${sqlLiteral(zone)})`;
      changed = true;
    }
    if (changed) edits.push({ at: s.offset, len: s.text.length, text: `ALTER TABLE ${qualifiedIn(body.relation as Json | undefined, table)} ${pieces.join(',\n')}` });
  }
  return applyEdits(prismaSql, edits);
}
