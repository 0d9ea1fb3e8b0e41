import { diffCatalogs } from '../catalog/diff-catalogs.ts';
import { objectKey, type CatalogSnapshot } from '../catalog/types.ts';
import { unquote } from '../catalog/compare-catalogs.ts';
import { ownPart } from '../catalog/qualified-name.ts';

/**
 * One difference in relations, columns, indexes and constraints only: the narrower view older callers (the
 * reversibility check's introspection comparer) were written against, computed from the catalog snapshot.
 * `godwit compare` and drift use engine/catalog's full diff.
 */
export interface SchemaDifference {
  relation: string;
  kind: 'relation' | 'column' | 'index' | 'constraint';
  name: string;
  /** Which property differs for a column present on both sides. */
  property?: 'type' | 'nullable' | 'default' | 'definition' | 'kind' | undefined;
  a: string | null;
  b: string | null;
}

const RELATION_KINDS = new Set(['table', 'view', 'materialized view', 'sequence']);

/** Relations, columns (type, nullability, default), indexes and constraints that exist or differ on one side only. */
export function compareSchemas(a: CatalogSnapshot, b: CatalogSnapshot): SchemaDifference[] {
  const out: SchemaDifference[] = [];
  for (const d of diffCatalogs(a, b)) {
    if (RELATION_KINDS.has(d.kind)) {
      const relation = unquote(d.name);
      const [x, y] = [a.objects.get(objectKey(d.kind, d.name)), b.objects.get(objectKey(d.kind, d.name))];
      if (x && y) out.push({ relation, kind: 'relation', name: relation, property: 'definition', a: d.a, b: d.b });
      else out.push({ relation, kind: 'relation', name: relation, a: x ? d.kind : null, b: y ? d.kind : null });
    } else if (d.kind === 'column' || d.kind === 'constraint') {
      const relation = unquote(d.table!);
      const name = unquote(d.name.slice(d.table!.length + 1));
      const [x, y] = [a.objects.get(objectKey(d.kind, d.name)), b.objects.get(objectKey(d.kind, d.name))];
      if (d.kind === 'constraint' || !x || !y) {
        out.push({ relation, kind: d.kind, name, property: x && y ? 'definition' : undefined, a: d.a, b: d.b });
        continue;
      }
      const [p, q] = [x.detail, y.detail];
      if (p.type !== q.type) out.push({ relation, kind: 'column', name, property: 'type', a: String(p.type), b: String(q.type) });
      if (p.notnull !== q.notnull) out.push({ relation, kind: 'column', name, property: 'nullable', a: p.notnull ? 'not null' : 'null', b: q.notnull ? 'not null' : 'null' });
      if (p.default !== q.default) out.push({ relation, kind: 'column', name, property: 'default', a: p.default === null ? null : String(p.default), b: q.default === null ? null : String(q.default) });
      if (p.type === q.type && p.notnull === q.notnull && p.default === q.default) out.push({ relation, kind: 'column', name, property: 'definition', a: d.a, b: d.b });
    } else if (d.kind === 'index') {
      out.push({ relation: unquote(d.table ?? ''), kind: 'index', name: ownPart(d.name), property: d.a && d.b ? 'definition' : undefined, a: d.a, b: d.b });
    }
  }
  const rank = { relation: 0, column: 1, index: 2, constraint: 3 };
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return out.sort((x, y) => cmp(x.relation, y.relation) || rank[x.kind] - rank[y.kind] || cmp(x.name, y.name));
}
