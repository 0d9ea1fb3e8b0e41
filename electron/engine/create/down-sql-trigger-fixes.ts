import type { CatalogObject, CatalogSnapshot } from '../catalog/types.ts';
import { applyEdits, belongsTo, parsed, typeChanges, type Edit } from './down-sql-edits.ts';

/** Whether `text` names `column` as an identifier: bare where it can be, else quoted. */
function names(text: string, column: string): boolean {
  const quoted = `"${column.replace(/"/g, '""')}"`;
  if (text.includes(quoted)) return true;
  return /^[a-z_][a-z0-9_$]*$/.test(column) && new RegExp(`(?<![\\w$"])${column.replace(/\$/g, '\\$')}(?![\\w$"])`).test(text);
}

/**
 * PostgreSQL refuses to change the type of a column a trigger names (`UPDATE OF type`, or its WHEN): inbox-zero's
 * rollbacks of an enum value failed on Prisma's re-creation of the enum, `cannot alter type of a column used in a
 * trigger definition`. Each ALTER TABLE of the script that changes such a column's type is preceded by DROP TRIGGER
 * and followed by the trigger's definition, for triggers the migration leaves as they were (both schemas have them
 * alike).
 */
export function withTriggersAroundTypeChanges(sql: string, from: CatalogSnapshot, to: CatalogSnapshot): string {
  if (![...from.objects.values()].some((o) => o.kind === 'trigger')) return sql;
  const statements = parsed(sql);
  if (!statements) return sql;
  const edits: Edit[] = [];
  for (const { statement: s, table, columns: retyped } of typeChanges(statements)) {
    const triggers = [...from.objects.values()].filter((o): o is CatalogObject => o.kind === 'trigger' && belongsTo(o, table)
      && to.objects.get(`trigger:${o.name}`)?.definition === o.definition && retyped.some((c) => names(String(o.detail.create), c)));
    if (!triggers.length) continue;
    const mode = (o: CatalogObject) => ({ D: 'DISABLE', R: 'ENABLE REPLICA', A: 'ENABLE ALWAYS' } as Record<string, string>)[String(o.detail.enabled)];
    const drops = triggers.map((o) => `-- godwit: ${String(o.detail.trigger)} names a column whose type changes here, which PostgreSQL refuses: dropped and created again.\nDROP TRIGGER ${String(o.detail.trigger)} ON ${o.table};\n`);
    const creates = triggers.flatMap((o) => [`;\n${String(o.detail.create)}`, ...(mode(o) ? [`;\nALTER TABLE ${o.table} ${mode(o)} TRIGGER ${String(o.detail.trigger)}`] : [])]);
    edits.push({ at: s.offset, len: 0, text: drops.join('') });
    edits.push({ at: s.offset + s.text.length, len: 0, text: creates.join('') });
  }
  return applyEdits(sql, edits);
}
