import type { Db } from '../db/db.ts';
import { readSchemaSnapshot } from '../introspect/schema-snapshot.ts';
import { compareSchemas, type SchemaDifference } from '../introspect/compare-schemas.ts';
import { readCatalog } from '../catalog/read-catalog.ts';
import { diffCatalogs } from '../catalog/diff-catalogs.ts';
import type { CatalogSnapshot } from '../catalog/types.ts';

/** One object whose definition differs between two snapshots; null: absent on that side. */
export interface ObjectDifference {
  /** Names the object, e.g. `index "users_email_idx" on public.users`. */
  object: string;
  before: string | null;
  after: string | null;
  /** The object's SQL definition where one is known (an index's CREATE INDEX, a constraint's definition). */
  sql?: string | undefined;
}

/**
 * What reversibility needs from a schema snapshot: take one, and name what differs between two. Kept this small so
 * the implementation can move to the catalog snapshot (engine/catalog/) by changing `schemaComparer` alone.
 */
export interface SchemaComparer {
  snapshot(db: Db): Promise<unknown>;
  diff(before: unknown, after: unknown): ObjectDifference[];
}

function objectName(d: SchemaDifference): string {
  switch (d.kind) {
    case 'relation':
      return d.property === 'kind' ? `relation ${d.relation} (its kind)` : `${d.a ?? d.b ?? 'relation'} ${d.relation}`;
    case 'column':
      return `column ${d.relation}.${d.name}${d.property ? ` (${d.property})` : ''}`;
    default:
      return `${d.kind} "${d.name}" on ${d.relation}`;
  }
}

/** Relations, columns, indexes and constraints, from the introspection snapshot `godwit compare` uses. */
export const introspectionComparer: SchemaComparer = {
  snapshot: (db) => readSchemaSnapshot(db),
  diff: (before, after) =>
    compareSchemas(before as Awaited<ReturnType<typeof readSchemaSnapshot>>, after as Awaited<ReturnType<typeof readSchemaSnapshot>>)
      .map((d) => ({ object: objectName(d), before: d.a, after: d.b, sql: d.kind === 'index' || d.kind === 'constraint' ? (d.b ?? d.a ?? undefined) : undefined })),
};

/** Every object kind the catalog snapshot reads (engine/catalog/): types, functions, views, triggers, policies, … */
export const catalogComparer: SchemaComparer = {
  snapshot: (db) => readCatalog(db),
  diff: (before, after) =>
    diffCatalogs(before as CatalogSnapshot, after as CatalogSnapshot).map((d) => ({
      object: `${d.kind} ${d.name}${d.table && !d.name.startsWith(`${d.table}.`) ? ` on ${d.table}` : ''}`,
      before: d.a,
      after: d.b,
      sql: d.b ?? d.a ?? undefined,
    })),
};

/** The comparer reversibility uses. */
export const schemaComparer: SchemaComparer = catalogComparer;
