/** Every kind of object a catalog snapshot reads, in the order a reader meets them (containers first). */
export const CATALOG_KINDS = [
  'schema', 'extension', 'foreign data wrapper', 'foreign server', 'enum', 'domain', 'composite type', 'range type',
  'sequence', 'table', 'column', 'constraint', 'index', 'foreign table', 'view', 'materialized view', 'function',
  'procedure', 'trigger', 'rule', 'event trigger', 'policy', 'row security', 'publication', 'comment', 'grant',
] as const;

export type CatalogKind = (typeof CATALOG_KINDS)[number];

/** Kinds Prisma's schema language models; its differ writes their SQL, and Godwit only fills what it leaves out. */
export const PRISMA_MODELLED: ReadonlySet<CatalogKind> = new Set(['schema', 'extension', 'enum', 'sequence', 'table', 'column', 'index']);

/**
 * One object as plain data. `name` is its SQL name, quoted where SQL needs quotes (`public."User"`, a column or a
 * constraint as `public."User".email`, a function with its argument types). `definition` is what two snapshots
 * compare: the server's own rendering (pg_get_*def) wherever PostgreSQL has one. `detail` holds the parts the
 * reconcile SQL needs; `ord` is the object's oid or position, which follows creation order (dependencies first).
 */
export interface CatalogObject {
  kind: CatalogKind;
  name: string;
  /** The relation a column, constraint, index, trigger, policy or row-security setting belongs to. */
  table?: string | undefined;
  definition: string;
  ord: number;
  detail: Record<string, string | boolean | null>;
}

/** A database's schema as plain data, keyed by `kind:name`. */
export interface CatalogSnapshot {
  objects: Map<string, CatalogObject>;
}

export interface SnapshotOptions {
  /** Read privileges too (off by default: grants differ between environments on purpose). */
  grants?: boolean | undefined;
}

/** One object present on one side only, or defined differently on both. */
export interface CatalogDifference {
  kind: CatalogKind;
  name: string;
  table?: string | undefined;
  /** The definition on the first side (`from`, e.g. live); null: absent there. */
  a: string | null;
  /** The definition on the second side (`to`, e.g. expected); null: absent there. */
  b: string | null;
}

export function objectKey(kind: CatalogKind, name: string): string {
  return `${kind}:${name}`;
}
