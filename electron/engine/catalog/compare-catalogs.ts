import { diffCatalogs, groupByKind } from './diff-catalogs.ts';
import { ownPart } from './qualified-name.ts';
import type { CatalogKind, CatalogSnapshot } from './types.ts';

/** What `godwit compare` covers, for its --help and the README. */
export const COMPARED_KINDS =
  'schemas, extensions, enums and their values, domains, composite types, sequences and their options, tables ' +
  '(partitioning, UNLOGGED), columns (type, default, NOT NULL, identity, generated, collation), constraints (primary ' +
  'key, unique, foreign key, CHECK, EXCLUDE, deferrable, NOT VALID), indexes (method, columns, predicate), views, ' +
  'materialized views, functions and procedures (signature and body), triggers, row-level security (enabled, ' +
  'forced), policies, comments; grants with --grants';

/**
 * One object that differs between two environments. `relation` is the table it is on (or the object itself) and
 * `name` its own name, both unquoted as compare has always printed them; `object` is its full SQL name.
 */
export interface CompareDifference {
  kind: CatalogKind;
  relation: string;
  name: string;
  object: string;
  a: string | null;
  b: string | null;
}

/** `public."Customers"` → `public.Customers`: names as people read them. */
export function unquote(name: string): string {
  return name.replace(/"((?:[^"]|"")*)"/g, (_m, inner: string) => inner.replace(/""/g, '"'));
}

function ownName(d: { kind: CatalogKind; name: string; table?: string | undefined }): string {
  if (d.table && d.name.startsWith(`${d.table}.`)) return unquote(d.name.slice(d.table.length + 1));
  if (d.kind === 'index') return ownPart(d.name);
  return unquote(d.name);
}

export interface CatalogComparison {
  differences: CompareDifference[];
  byKind: { kind: CatalogKind; items: CompareDifference[] }[];
}

/** Every difference between two environments' snapshots, also grouped by kind. */
export function compareCatalogs(a: CatalogSnapshot, b: CatalogSnapshot): CatalogComparison {
  const differences = diffCatalogs(a, b).map((d): CompareDifference => ({
    kind: d.kind, relation: unquote(d.table ?? d.name), name: ownName(d), object: d.name, a: d.a, b: d.b,
  }));
  return { differences, byKind: groupByKind(differences) };
}
