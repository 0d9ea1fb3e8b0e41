import { CATALOG_KINDS, type CatalogDifference, type CatalogKind, type CatalogSnapshot } from './types.ts';

const KIND_ORDER = new Map<CatalogKind, number>(CATALOG_KINDS.map((k, i) => [k, i]));

/**
 * What differs between two snapshots, by kind and name: objects on one side only and objects defined differently.
 * Both sides are read with the same queries, so what only a server version changes (PostgreSQL 18's NOT NULL
 * catalog constraints, trailing blanks in pg_get_*def) is already left out or normalised when they are read.
 */
export function diffCatalogs(a: CatalogSnapshot, b: CatalogSnapshot): CatalogDifference[] {
  const out: CatalogDifference[] = [];
  for (const key of new Set([...a.objects.keys(), ...b.objects.keys()])) {
    const x = a.objects.get(key);
    const y = b.objects.get(key);
    if (x && y && x.definition === y.definition) continue;
    const o = (x ?? y)!;
    out.push({ kind: o.kind, name: o.name, table: o.table, a: x?.definition ?? null, b: y?.definition ?? null });
  }
  return out.sort((p, q) => KIND_ORDER.get(p.kind)! - KIND_ORDER.get(q.kind)! || p.name.localeCompare(q.name));
}

/** Differences grouped by kind, kinds in catalog order: what the app lists and the CLI prints. */
export function groupByKind<T extends { kind: CatalogKind }>(differences: T[]): { kind: CatalogKind; items: T[] }[] {
  const groups = new Map<CatalogKind, T[]>();
  for (const d of differences) groups.set(d.kind, [...(groups.get(d.kind) ?? []), d]);
  return CATALOG_KINDS.filter((k) => groups.has(k)).map((kind) => ({ kind, items: groups.get(kind)! }));
}
