import type { CatalogObject, CatalogSnapshot } from '../catalog/types.ts';
import { ownPart } from '../catalog/qualified-name.ts';
import { createSql, dropSql } from '../catalog/reconcile-sql.ts';
import { applyEdits, parsed, typeChanges, type Edit } from './down-sql-edits.ts';

const isView = (o: CatalogObject) => o.kind === 'view' || o.kind === 'materialized view';

/** The [relation, column] pairs a view reads (read-catalog.ts, from pg_depend); none when not known. */
function uses(o: CatalogObject): [string, string][] {
  try {
    const v = JSON.parse(String(o.detail.uses ?? '[]')) as unknown;
    return Array.isArray(v) ? v.filter((p): p is [string, string] => Array.isArray(p) && typeof p[0] === 'string' && typeof p[1] === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * The views (plain and materialized) of `from` that read one of `columns` of `table` (own name), with every view
 * reading one of those in turn, in the order they can be created (each after what it reads).
 */
function viewsOver(from: CatalogSnapshot, table: string, columns: string[]): CatalogObject[] {
  const views = [...from.objects.values()].filter(isView);
  const found = new Map<string, CatalogObject>();
  const reads = (o: CatalogObject, rel: (r: string) => boolean, col?: (c: string) => boolean) => uses(o).some(([r, c]) => rel(r) && (!col || col(c)));
  for (const v of views) if (reads(v, (r) => ownPart(r) === table, (c) => columns.includes(c))) found.set(v.name, v);
  for (let grew = true; grew;) {
    grew = false;
    for (const v of views) if (!found.has(v.name) && reads(v, (r) => found.has(r))) (found.set(v.name, v), (grew = true));
  }
  const ordered: CatalogObject[] = [];
  const placed = new Set<string>();
  const place = (v: CatalogObject, path: Set<string>) => {
    if (placed.has(v.name) || path.has(v.name)) return;
    path.add(v.name);
    for (const [r] of uses(v)) if (found.has(r)) place(found.get(r)!, path);
    placed.add(v.name);
    ordered.push(v);
  };
  for (const v of [...found.values()].sort((a, b) => a.ord - b.ord)) place(v, new Set());
  return ordered;
}

/**
 * PostgreSQL refuses to change the type of a column a view reads (`cannot alter type of a column used by a view or
 * rule`): civitai's rollback of an enum value failed on Prisma's re-creation of the enum under ModelReportStat. Each
 * ALTER TABLE of the script that changes such a column's type is preceded by DROP VIEW of the views that read it
 * (and of the views reading those), and the script ends with their definitions again, with a materialized view's
 * indexes, for views the migration leaves as they were (both schemas have them alike). A materialized view is filled
 * again as it is created.
 */
export function withViewsAroundTypeChanges(sql: string, from: CatalogSnapshot, to: CatalogSnapshot): string {
  if (![...from.objects.values()].some(isView)) return sql;
  const statements = parsed(sql);
  if (!statements) return sql;
  const edits: Edit[] = [];
  const done = new Set<string>();
  const again: CatalogObject[] = [];
  for (const { statement: s, table, columns: retyped } of typeChanges(statements)) {
    const views = viewsOver(from, table, retyped).filter((v) => !done.has(v.name));
    // Only views the migration left alone: one it changed is dropped or re-created by the script already.
    if (!views.length || views.some((v) => to.objects.get(`${v.kind}:${v.name}`)?.definition !== v.definition)) continue;
    for (const v of views) done.add(v.name);
    const indexes = (v: CatalogObject) => [...from.objects.values()].filter((o) => o.kind === 'index' && o.table === v.name);
    const drops = [...views].reverse().map((v) => `-- godwit: ${v.name} reads a column whose type changes here, which PostgreSQL refuses: dropped and created again.\n${dropSql(v).join('\n')}\n`);
    again.push(...views.flatMap((v) => [v, ...indexes(v)]));
    edits.push({ at: s.offset, len: 0, text: drops.join('') });
  }
  if (!again.length) return sql;
  // Created again at the end, where the schema is the one before the migration, which has them as they are: an enum
  // re-created under its own name reads right only once its old copy is renamed away and dropped.
  const creates = again.flatMap((o) => createSql(o, from));
  return `${applyEdits(sql, edits).trimEnd()}\n\n-- godwit: the views dropped above, as they were.\n${creates.join('\n')}\n`;
}
