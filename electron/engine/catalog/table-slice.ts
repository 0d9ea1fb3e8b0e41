import { commentIsOn, reconcileSteps, renderSteps, type ReconcileStep } from './reconcile-sql.ts';
import type { CatalogObject, CatalogSnapshot } from './types.ts';

/** `public."User"` → `"User"`: the relation's own part of a qualified SQL name (a quoted schema may hold dots). */
export function ownPart(qualified: string): string {
  let inQuotes = false;
  for (let i = 0; i < qualified.length; i++) {
    if (qualified[i] === '"') inQuotes = !inQuotes;
    else if (qualified[i] === '.' && !inQuotes) return qualified.slice(i + 1);
  }
  return qualified;
}

const escapeRe = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * True for a foreign key on another table that references `table`. pg_get_constraintdef writes the referenced table
 * unqualified when it is on the search path, so both spellings are matched.
 */
export function referencesTable(o: CatalogObject, table: string): boolean {
  if (o.kind !== 'constraint' || o.detail.type !== 'f' || o.table === table) return false;
  const names = [table, ownPart(table)].map(escapeRe).join('|');
  return new RegExp(`REFERENCES (${names})\\(`).test(o.definition);
}

/**
 * One table (or view) out of a snapshot: the relation, its columns, constraints, indexes, triggers, policies, row security, the
 * comments on them and the sequences its columns own; with `incoming`, other tables' foreign keys to it as well.
 */
export function tableSlice(snap: CatalogSnapshot, table: string, opts: { incoming?: (o: CatalogObject) => boolean } = {}): CatalogSnapshot {
  const objects = new Map<string, CatalogObject>();
  for (const [key, o] of snap.objects) {
    const own = (['table', 'view', 'materialized view'].includes(o.kind) && o.name === table) || o.table === table;
    const comment = o.kind === 'comment' && commentIsOn(String(o.detail.target), table);
    const sequence = o.kind === 'sequence' && typeof o.detail.ownedBy === 'string' && o.detail.ownedBy.startsWith(`${table}.`);
    const incoming = opts.incoming !== undefined && referencesTable(o, table) && opts.incoming(o);
    if (own || comment || sequence || incoming) objects.set(key, o);
  }
  return { objects };
}

const EMPTY: CatalogSnapshot = { objects: new Map() };

/** The table's DDL as pg_dump would order it: sequences, CREATE TABLE, constraints, indexes, triggers, policies, comments. */
export function tableDdl(snap: CatalogSnapshot, table: string): string {
  const steps = reconcileSteps(EMPTY, tableSlice(snap, table));
  return steps.map((s) => s.sql).join('\n') + (steps.length ? '\n' : '');
}

/** The statements turning `from`'s table into `to`'s, as a script with both sides shown above each change. */
export function tableReconcileSql(from: CatalogSnapshot, to: CatalogSnapshot, heading: string, labels: [string, string], sides: Map<string, { a: string | null; b: string | null }>): { sql: string; steps: ReconcileStep[] } {
  const steps = reconcileSteps(from, to);
  return { sql: renderSteps(steps, heading, { labels, sides }), steps };
}
