import type { TableCompareDto, TableCompareRowDto } from '../../shared/dto.ts';
import { unquote } from './compare-catalogs.ts';
import { ownPart, tableReconcileSql, tableSlice } from './table-slice.ts';
import type { CatalogObject, CatalogSnapshot } from './types.ts';

/** How a DBA names each part of a table; constraints by their type. */
const CONSTRAINT_KIND: Record<string, string> = { p: 'primary key', u: 'unique', f: 'foreign key', c: 'check', x: 'exclusion' };
const KIND_ORDER = ['table', 'column', 'primary key', 'unique', 'exclusion', 'check', 'foreign key', 'incoming foreign key', 'index', 'trigger', 'policy', 'row security', 'sequence', 'comment'];

function rowKind(o: CatalogObject, table: string): string {
  if (o.kind !== 'constraint') return o.kind;
  if (o.table !== table) return 'incoming foreign key';
  return CONSTRAINT_KIND[String(o.detail.type)] ?? 'constraint';
}

function ownName(o: CatalogObject): string {
  const d = o.detail;
  const own = d.column ?? d.constraint ?? d.trigger ?? d.policy;
  if (typeof own === 'string') return unquote(own);
  if (o.kind === 'comment') return unquote(o.name.replace(/^ON /, ''));
  return unquote(ownPart(o.name));
}

export interface TableComparison extends Pick<TableCompareDto, 'inA' | 'inB' | 'rows' | 'differences' | 'sqlAtoB' | 'sqlBtoA'> {
  /** Statements Godwit could not write (a table to rebuild, …): comments in the SQL, listed for the review. */
  notesAtoB: string[];
  notesBtoA: string[];
}

/**
 * One table in two snapshots, part by part. Parts are matched by kind and name, and definitions come from the server's
 * own pg_get_*def, so OIDs, catalog order and column positions never show as differences. Other tables' foreign keys
 * to it are included when the referencing table exists on both sides (else the difference is that table's, not this one's).
 */
export function compareTable(a: CatalogSnapshot, b: CatalogSnapshot, table: string, labels: [string, string]): TableComparison {
  const onBoth = (o: CatalogObject) => a.objects.has(`table:${o.table!}`) && b.objects.has(`table:${o.table!}`);
  const [sa, sb] = [tableSlice(a, table, { incoming: onBoth }), tableSlice(b, table, { incoming: onBoth })];
  const rows: (TableCompareRowDto & { ord: number })[] = [];
  const sides = new Map<string, { a: string | null; b: string | null }>();
  for (const key of new Set([...sa.objects.keys(), ...sb.objects.keys()])) {
    const [x, y] = [sa.objects.get(key), sb.objects.get(key)];
    const o = (y ?? x)!;
    const [da, db] = [x?.definition ?? null, y?.definition ?? null];
    sides.set(key, { a: da, b: db });
    const status = da === db ? 'same' : da === null ? 'only-b' : db === null ? 'only-a' : 'changed';
    const kind = rowKind(o, table);
    rows.push({ kind, name: ownName(o), ...(kind === 'incoming foreign key' ? { incomingFrom: unquote(o.table!) } : {}), a: da, b: db, status, ord: o.kind === 'column' ? o.ord : 0 });
  }
  rows.sort((p, q) => KIND_ORDER.indexOf(p.kind) - KIND_ORDER.indexOf(q.kind) || p.ord - q.ord || p.name.localeCompare(q.name));
  const reverse = new Map([...sides].map(([k, v]) => [k, { a: v.b, b: v.a }]));
  const forward = tableReconcileSql(sa, sb, `Makes ${labels[0]}'s ${unquote(table)} like ${labels[1]}'s (written by Godwit from the catalog)`, labels, sides);
  const backward = tableReconcileSql(sb, sa, `Makes ${labels[1]}'s ${unquote(table)} like ${labels[0]}'s again (written by Godwit from the catalog)`, [labels[1], labels[0]], reverse);
  const notes = (steps: typeof forward.steps) => steps.filter((s) => s.action === 'note').map((s) => s.sql.replace(/^--\s*/, ''));
  return {
    inA: sa.objects.has(`table:${table}`),
    inB: sb.objects.has(`table:${table}`),
    rows: rows.map(({ ord: _ord, ...r }) => r),
    differences: rows.filter((r) => r.status !== 'same').length,
    sqlAtoB: forward.sql,
    sqlBtoA: backward.sql,
    notesAtoB: notes(forward.steps),
    notesBtoA: notes(backward.steps),
  };
}
