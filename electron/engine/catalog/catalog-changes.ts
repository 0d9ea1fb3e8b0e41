import { diffCatalogs } from './diff-catalogs.ts';
import { nameParts, ownPart } from './qualified-name.ts';
import { reconcileSteps, renderSteps, type ReconcileStep } from './reconcile-sql.ts';
import { objectKey, PRISMA_MODELLED, type CatalogDifference, type CatalogObject, type CatalogSnapshot } from './types.ts';

/** A difference, with the SQL that turns the `a` side into the `b` side and who writes it. */
export interface CatalogChange extends CatalogDifference {
  /** Godwit's statements for this object; null when Prisma's script carries it or no SQL can be written. */
  sql: string | null;
  by: 'prisma' | 'godwit';
}

export interface CatalogChanges {
  changes: CatalogChange[];
  /** Godwit's drops: they run before Prisma's script (a view must go before the column it reads). */
  sqlBefore: string;
  /** Godwit's creates and in-place changes: they run after Prisma's script (a CHECK needs its table). */
  sqlAfter: string;
}

function lastName(o: { name: string; table?: string | undefined }): string {
  return o.table && o.name.startsWith(`${o.table}.`) ? ownPart(o.name.slice(o.table.length + 1)) : ownPart(o.name);
}

/**
 * True when Prisma's script takes care of the object: Prisma models its kind (tables, columns, indexes, enums,
 * primary, unique and foreign keys …) and its script names it. Anything else — a CHECK, a view, a partial index
 * Prisma cannot see — is Godwit's to write.
 */
export function prismaCovers(o: CatalogObject, prismaSql: string): boolean {
  const modelled = PRISMA_MODELLED.has(o.kind) || (o.kind === 'constraint' && ['p', 'u', 'f'].includes(String(o.detail.type)));
  return modelled && (prismaSql.includes(`"${lastName(o)}"`) || serialOfPrisma(o, prismaSql));
}

const escapeRe = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A column's own sequence that Prisma's script makes with `SERIAL` (`"id" SERIAL NOT NULL` in a CREATE TABLE or ADD
 * COLUMN): PostgreSQL creates `<table>_<column>_seq` with it, so Godwit must not create it too ("already exists").
 */
function serialOfPrisma(o: CatalogObject, prismaSql: string): boolean {
  if (o.kind !== 'sequence') return false;
  const owner = /OWNED BY (\S+)$/.exec(o.definition ?? '')?.[1];
  if (!owner) return false;
  const [table, column] = nameParts(owner).slice(-2);
  if (!table || !column || lastName(o) !== `${table}_${column}_seq`) return false;
  return prismaSql.includes(`"${table}"`) && new RegExp(`"${escapeRe(column)}"\\s+(SMALL|BIG)?SERIAL\\b`, 'i').test(prismaSql);
}

/**
 * Prisma models a UNIQUE constraint as a unique index: it drops one with `DROP INDEX`, which PostgreSQL refuses
 * ("constraint … requires it"), and creates one with `CREATE UNIQUE INDEX`, which loses DEFERRABLE. Such statements
 * are taken out of Prisma's script; Godwit writes ALTER TABLE … DROP/ADD CONSTRAINT for them instead.
 */
function withoutConstraintIndexes(prismaSql: string, from: CatalogSnapshot, to: CatalogSnapshot): string {
  let sql = prismaSql;
  for (const snap of [from, to]) {
    for (const o of snap.objects.values()) {
      if (o.kind !== 'constraint' || !['u', 'p', 'x'].includes(String(o.detail.type))) continue;
      const other = (snap === from ? to : from).objects.get(objectKey(o.kind, o.name));
      if (other?.definition === o.definition) continue;
      const name = escapeRe(`"${lastName(o)}"`);
      sql = sql.replace(new RegExp(`^(DROP INDEX|CREATE UNIQUE INDEX) ("[^"]+"\\.)?${name}[^;]*;\\n?`, 'gm'), '');
    }
  }
  return isBlank(sql) ? '' : sql;
}

const isBlank = (sql: string) => /^\s*(--[^\n]*\n?\s*)*$/.test(sql);

/** Differences from `from` to `to`, each with its SQL, Godwit's statements split around Prisma's script. */
export function catalogChanges(from: CatalogSnapshot, to: CatalogSnapshot, rawPrismaSql: string, heading: string, labels: [string, string] = ['from', 'to']): CatalogChanges & { sql: string; prismaSql: string } {
  const prismaSql = withoutConstraintIndexes(rawPrismaSql, from, to);
  const covered = (o: CatalogObject) => prismaSql !== '' && prismaCovers(o, prismaSql);
  const steps = reconcileSteps(from, to, (o) => !covered(o));
  const stepsOf = new Map<string, ReconcileStep[]>();
  for (const s of steps) stepsOf.set(objectKey(s.kind, s.name), [...(stepsOf.get(objectKey(s.kind, s.name)) ?? []), s]);
  const changes = diffCatalogs(from, to).map((d): CatalogChange => {
    const key = objectKey(d.kind, d.name);
    const o = (to.objects.get(key) ?? from.objects.get(key))!;
    if (covered(o)) return { ...d, sql: null, by: 'prisma' };
    const own = (stepsOf.get(key) ?? []).map((s) => s.sql).join('\n');
    return { ...d, sql: own || null, by: 'godwit' };
  });
  // Godwit's drops go first (a view before the column it reads), but an extension or a schema only once Prisma's
  // script has dropped what lives in or uses it (pg_trgm before its GIN index: "other objects depend on it").
  // Likewise one is created before Prisma's script uses it (an index with gin_trgm_ops, a table in a new schema).
  const container = (s: ReconcileStep) => s.kind === 'extension' || s.kind === 'schema';
  const dropsLast = (s: ReconcileStep) => s.action === 'drop' && container(s);
  const createsFirst = (s: ReconcileStep) => s.action !== 'drop' && container(s);
  const before = [...steps.filter(createsFirst), ...steps.filter((s) => s.action === 'drop' && !dropsLast(s))];
  const after = [...steps.filter((s) => s.action !== 'drop' && !createsFirst(s)), ...steps.filter(dropsLast)];
  const ctx = { labels, sides: new Map(changes.map((c) => [objectKey(c.kind, c.name), { a: c.a, b: c.b }])) };
  const sqlBefore = renderSteps(before, `${heading} (before Prisma's statements)`, ctx);
  const sqlAfter = renderSteps(after, heading, ctx);
  return { changes, sqlBefore, sqlAfter, sql: sqlBefore + sqlAfter, prismaSql };
}

/** Prisma's script with Godwit's statements around it. */
export function combineScripts(prismaSql: string, changes: CatalogChanges): string {
  return [changes.sqlBefore, prismaSql, changes.sqlAfter].filter((p) => p.trim() !== '').map((p) => p.trimEnd() + '\n').join('\n');
}
