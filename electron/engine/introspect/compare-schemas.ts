import type { ColumnShape, SchemaSnapshot } from './schema-snapshot.ts';

/** One difference between two environments' schemas. `a` and `b` are what each side has (null: absent). */
export interface SchemaDifference {
  relation: string;
  kind: 'relation' | 'column' | 'index' | 'constraint';
  name: string;
  /** Which property differs for a column present on both sides. */
  property?: 'type' | 'nullable' | 'default' | 'definition' | 'kind' | undefined;
  a: string | null;
  b: string | null;
}

const KIND: Record<string, string> = { r: 'table', p: 'partitioned table', v: 'view', m: 'materialized view', S: 'sequence', f: 'foreign table' };

function compareMaps(relation: string, kind: 'index' | 'constraint', a: Map<string, string>, b: Map<string, string>, out: SchemaDifference[]): void {
  for (const name of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(name) ?? null;
    const y = b.get(name) ?? null;
    if (x !== y) out.push({ relation, kind, name, property: x !== null && y !== null ? 'definition' : undefined, a: x, b: y });
  }
}

function describeColumn(c: ColumnShape): string {
  return `${c.type}${c.notNull ? ' not null' : ''}${c.default !== null ? ` default ${c.default}` : ''}`;
}

/** Tables, columns (type, nullability, default), indexes and constraints that exist or differ on one side only. */
export function compareSchemas(a: SchemaSnapshot, b: SchemaSnapshot): SchemaDifference[] {
  const out: SchemaDifference[] = [];
  for (const relation of [...new Set([...a.relations.keys(), ...b.relations.keys()])].sort()) {
    const x = a.relations.get(relation);
    const y = b.relations.get(relation);
    if (!x || !y) {
      out.push({ relation, kind: 'relation', name: relation, a: x ? KIND[x.kind] ?? x.kind : null, b: y ? KIND[y.kind] ?? y.kind : null });
      continue;
    }
    if (x.kind !== y.kind) out.push({ relation, kind: 'relation', name: relation, property: 'kind', a: KIND[x.kind] ?? x.kind, b: KIND[y.kind] ?? y.kind });
    for (const name of [...new Set([...x.columns.keys(), ...y.columns.keys()])].sort()) {
      const cx = x.columns.get(name);
      const cy = y.columns.get(name);
      if (!cx || !cy) {
        out.push({ relation, kind: 'column', name, a: cx ? describeColumn(cx) : null, b: cy ? describeColumn(cy) : null });
        continue;
      }
      if (cx.type !== cy.type) out.push({ relation, kind: 'column', name, property: 'type', a: cx.type, b: cy.type });
      if (cx.notNull !== cy.notNull) out.push({ relation, kind: 'column', name, property: 'nullable', a: cx.notNull ? 'not null' : 'null', b: cy.notNull ? 'not null' : 'null' });
      if (cx.default !== cy.default) out.push({ relation, kind: 'column', name, property: 'default', a: cx.default, b: cy.default });
    }
    compareMaps(relation, 'index', x.indexes, y.indexes, out);
    compareMaps(relation, 'constraint', x.constraints, y.constraints, out);
  }
  return out;
}
