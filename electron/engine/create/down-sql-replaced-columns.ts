import type { CatalogSnapshot } from '../catalog/types.ts';
import { ownPart } from '../catalog/qualified-name.ts';
import { sqlIdentifier } from '../history/history-table.ts';
import { kindOf, str, type Json } from '../analysis/parse-tree.ts';
import { addedColumn, alterCommands, applyEdits, columnOf, parsed, qualifiedIn, type Edit } from './down-sql-edits.ts';

/** `table\0column` of every column the migration drops (ALTER TABLE … DROP COLUMN), by the table's own name. */
export function droppedColumns(upSql: string): Set<string> {
  const out = new Set<string>();
  for (const s of parsed(upSql) ?? []) {
    const [kind, body] = kindOf(s.node);
    const table = str((body.relation as Json | undefined)?.relname);
    if (kind !== 'AlterTableStmt' || !table) continue;
    for (const c of alterCommands(body)) if (c.subtype === 'AT_DropColumn' && str(c.name)) out.add(`${table}\0${str(c.name)}`);
  }
  return out;
}

/** A column's type as the catalog names it, with the schema of a user type (format_type leaves out one on the search path). */
export function typeAsWritten(written: string, snap: CatalogSnapshot): string {
  const own = [...snap.objects.values()].find((o) => ['enum', 'domain', 'composite type'].includes(o.kind) && !written.includes('.') && ownPart(o.name) === ownPart(written.replace(/\[\]$/, '')));
  return own ? `${own.name}${written.endsWith('[]') ? '[]' : ''}` : written;
}

/**
 * A migration that replaces a column — adds a new one, fills it, drops the old, renames the new one to the old name
 * (civitai's Image.needsReview, boolean → text; Model.allowCommercialUse, enum → enum[]) — leaves a column of the
 * same name and another type, which Prisma's differ turns back by a cast (`SET DATA TYPE "E"`, text → boolean) that no
 * real value survives. The dropped column's values are in the upgrade's copy of it (engine/backup): the reverse drops
 * the new column and adds the old one back as it was, and the rollback's restore refills it. An ALTER TABLE made only
 * of subcommands on such columns, some of them not Prisma's own DROP/ADD, is rewritten so.
 */
export function withReplacedColumnsReadded(prismaSql: string, from: CatalogSnapshot, to: CatalogSnapshot, upSql: string): string {
  const dropped = droppedColumns(upSql);
  const statements = dropped.size ? parsed(prismaSql) : null;
  if (!statements) return prismaSql;
  const edits: Edit[] = [];
  for (const s of statements) {
    const [kind, body] = kindOf(s.node);
    const relation = body.relation as Json | undefined;
    const table = str(relation?.relname);
    if (kind !== 'AlterTableStmt' || !table) continue;
    const cmds = alterCommands(body);
    const names = [...new Set(cmds.map((c) => str(c.name) ?? (c.subtype === 'AT_AddColumn' ? str(addedColumn(c).colname) ?? '' : '')))];
    // Only subcommands on replaced columns (both schemas have them), and none a DROP/ADD already.
    if (!cmds.length || names.some((c) => !dropped.has(`${table}\0${c}`) || !columnOf(from, table, c) || !columnOf(to, table, c))) continue;
    if (cmds.every((c) => c.subtype === 'AT_DropColumn' || c.subtype === 'AT_AddColumn')) continue;
    const clauses = names.flatMap((c) => {
      const was = columnOf(to, table, c)!.detail;
      if (typeof was.type !== 'string' || was.generated || was.identity) return [];
      const def = [`ADD COLUMN ${sqlIdentifier(c)} ${typeAsWritten(was.type, to)}`, ...(was.default ? [`DEFAULT ${String(was.default)}`] : []), ...(was.notnull ? ['NOT NULL'] : [])].join(' ');
      return [`DROP COLUMN ${sqlIdentifier(c)}`, def];
    });
    if (clauses.length !== names.length * 2) continue;
    const note = `-- godwit: the migration dropped ${names.map((c) => `${sqlIdentifier(table)}.${sqlIdentifier(c)}`).join(', ')} and put another column in its place; it is added back as it was, and the rollback refills it from the upgrade's copy (a cast of the new values would not bring the old ones back).`;
    edits.push({ at: s.offset, len: s.text.length, text: `${note}\nALTER TABLE ${qualifiedIn(relation, table)} ${clauses.join(',\n')}` });
  }
  return applyEdits(prismaSql, edits);
}
