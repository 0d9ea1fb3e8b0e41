import type { CatalogSnapshot } from '../catalog/types.ts';
import { ownPart } from '../catalog/qualified-name.ts';
import { sqlIdentifier } from '../history/history-table.ts';
import type { SqlStatement } from '../sql/split-statements.ts';
import { applyEdits, columnOf, dropAddAlters, indexesOfKeptColumns, parsed, statementSpan, type Edit } from './down-sql-edits.ts';
import { withAddedValuesUsable, withEnumBlocksInOrder, withEnumOrderRestored, withEnumRenames, withEnumValueOrder } from './down-sql-enum-fixes.ts';
import { withColumnRenamesReversed, withTableRenamesReversed } from './down-sql-rename-fixes.ts';
import { withTriggersAroundTypeChanges } from './down-sql-trigger-fixes.ts';
import { withViewsAroundTypeChanges } from './down-sql-view-fixes.ts';
import { withTimeZonesReversed } from './down-sql-timezone-fixes.ts';
import { droppedColumns, typeAsWritten, withReplacedColumnsReadded } from './down-sql-replaced-columns.ts';

/**
 * What Prisma's differ writes for a down.sql (`from` the schema after the migration, `to` the one before), mended
 * where it loses data or cannot run: table and column renames (read from the migration's own `upSql`:
 * down-sql-rename-fixes.ts), enum renames, value order and re-creation blocks (down-sql-enum-fixes.ts), type changes
 * by DROP/ADD COLUMN (below), columns the migration replaced (down-sql-replaced-columns.ts), triggers and views on a column whose type changes (down-sql-trigger-fixes.ts, down-sql-view-fixes.ts). Each mend rewrites only statements in exactly the shape it knows; anything else stays.
 */
export function mendDownSql(prismaSql: string, from: CatalogSnapshot, to: CatalogSnapshot, upSql = ''): string {
  const renamed = withTimeZonesReversed(withReplacedColumnsReadded(withColumnRenamesReversed(withTableRenamesReversed(prismaSql, from, to, upSql), from, to, upSql), from, to, upSql), upSql);
  const mended = withTypeChangesKept(withEnumBlocksInOrder(withAddedValuesUsable(withEnumValueOrder(withEnumRenames(renamed, from, to), from, to), from, to, upSql), from), from, to, droppedColumns(upSql));
  return withViewsAroundTypeChanges(withTriggersAroundTypeChanges(withEnumOrderRestored(mended, from, to), from, to), from, to);
}

/** Whether a column of `type` converts to and from its text: a string type, or an enum of `snap`. */
function throughText(type: string, snap: CatalogSnapshot): boolean {
  const base = type.replace(/\[\]$/, '');
  if (/^(text|character varying|varchar|character|bpchar|citext)\b/.test(base)) return true;
  return [...snap.objects.values()].some((o) => o.kind === 'enum' && ownPart(o.name) === ownPart(base));
}

/**
 * Prisma's differ changes a column's type it cannot cast by dropping the column and adding it again (`DROP COLUMN
 * "c", ADD COLUMN "c" "Currency"`): every value is lost, and a rollback of a migration that turned an enum into text
 * nulls them (ghostfolio). An ALTER TABLE made only of such pairs, on columns both schemas have, becomes a type change
 * with USING, its default and NOT NULL set as `to` has them; a value the new type refuses then stops the rollback,
 * rolled back, instead of vanishing.
 */
function withTypeChangesKept(prismaSql: string, from: CatalogSnapshot, to: CatalogSnapshot, replaced: Set<string>): string {
  const statements = parsed(prismaSql);
  if (!statements) return prismaSql;
  const edits: Edit[] = [];
  const kept: SqlStatement[] = [];
  for (const { statement: s, table, target, dropped, added } of dropAddAlters(statements)) {
    if (dropped.some((c) => !added.includes(c))) continue;
    // A column the migration itself dropped (and replaced) comes back from the upgrade's copy: DROP/ADD is right.
    if (dropped.some((c) => replaced.has(`${table}\0${c}`))) continue;
    const pairs = dropped.map((c) => ({ c, was: columnOf(from, table, c), will: columnOf(to, table, c) }));
    if (pairs.some((p) => !p.was || !p.will || typeof p.will.detail.type !== 'string' || p.will.detail.generated || p.will.detail.identity)) continue;
    // Through text only where text is one side, or an enum (ghostfolio's enum → text): boolean → timestamp has no
    // such path ('false' is no time: inbox-zero's rollback failed on every row), and Prisma's DROP/ADD stays, the
    // copy the upgrade made of the dropped column putting the values back.
    if (pairs.some((p) => !throughText(String(p.was!.detail.type), from) && !throughText(String(p.will!.detail.type), to))) continue;
    const clauses = pairs.flatMap(({ c, was, will }) => {
      const col = `ALTER COLUMN ${sqlIdentifier(c)}`;
      const type = typeAsWritten(String(will!.detail.type), to);
      return [
        ...(was!.detail.default ? [`${col} DROP DEFAULT`] : []),
        `${col} TYPE ${type} USING (${sqlIdentifier(c)}::text::${type})`,
        ...(will!.detail.default ? [`${col} SET DEFAULT ${String(will!.detail.default)}`] : []),
        ...(will!.detail.notnull !== was!.detail.notnull ? [`${col} ${will!.detail.notnull ? 'SET' : 'DROP'} NOT NULL`] : []),
      ];
    });
    const note = `-- godwit: Prisma's differ drops and re-adds ${dropped.map((c) => `${sqlIdentifier(table)}.${sqlIdentifier(c)}`).join(', ')} (their values lost); a type change with USING keeps them.`;
    edits.push({ at: s.offset, len: s.text.length, text: `${note}\nALTER TABLE ${target} ${clauses.join(',\n')}` });
    kept.push(s);
  }
  for (const s of indexesOfKeptColumns(statements, kept, from)) edits.push({ ...statementSpan(prismaSql, s), text: '' });
  return applyEdits(prismaSql, edits);
}

