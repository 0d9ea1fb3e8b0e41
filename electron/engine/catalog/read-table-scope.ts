import type { Db } from '../db/db.ts';
import { CATALOG_QUERIES, type CatalogQueryName } from './catalog-queries.ts';
import { buildSnapshot, sqlLiteral, type CatalogRows } from './read-catalog.ts';
import type { CatalogSnapshot } from './types.ts';

/**
 * Each catalog query kept to one relation (`q` is its SQL name as a literal). The filter wraps the query, so PostgreSQL
 * computes pg_get_*def only for the rows it keeps. Tables stay whole (cheap, and other tables' foreign keys to this one
 * need to know whether their table exists), and so do foreign keys.
 */
const SCOPE: Partial<Record<CatalogQueryName, (q: string) => string>> = {
  tables: () => 'TRUE',
  views: (q) => `name = ${q}`,
  columns: (q) => `tbl = ${q}`,
  constraints: (q) => `tbl = ${q} OR type = 'f'`,
  indexes: (q) => `tbl = ${q}`,
  triggers: (q) => `tbl = ${q}`,
  policies: (q) => `tbl = ${q}`,
  // By the sequences depending on the table (serial or identity), not by owned_by: that is a subquery per sequence.
  sequences: (q) => `name IN (SELECT format('%I.%I', sn.nspname, sc.relname) FROM pg_catalog.pg_depend d
    JOIN pg_catalog.pg_class sc ON sc.oid = d.objid JOIN pg_catalog.pg_namespace sn ON sn.oid = sc.relnamespace
    WHERE d.classid = 'pg_class'::regclass AND d.refobjid = to_regclass(${q}) AND d.deptype = 'a' AND sc.relkind = 'S')`,
  comments: (q) => `position(${q} in target) > 0`,
};

/**
 * A snapshot holding what one table's structure, DDL and per-table compare need, in one round trip whose cost does
 * not grow with the number of tables' columns, indexes or triggers. Sliced with tableSlice it equals the slice of a
 * full snapshot (table-structure.test.ts checks it).
 */
export async function readTableScope(db: Db, qualified: string): Promise<CatalogSnapshot> {
  const q = sqlLiteral(qualified);
  const names = Object.keys(SCOPE) as CatalogQueryName[];
  const sql = names.map((n) => `SELECT * FROM (${CATALOG_QUERIES[n].trim()}\n) s WHERE ${SCOPE[n]!(q)};`).join('\n');
  const results = await db.queryBatch(sql);
  const rows = Object.fromEntries((Object.keys(CATALOG_QUERIES) as CatalogQueryName[]).map((n) => [n, [] as Record<string, unknown>[]])) as CatalogRows;
  names.forEach((n, i) => (rows[n] = results[i] ?? []));
  return buildSnapshot(rows);
}

/** readTableScope by schema and name as typed (unquoted): the server spells the SQL name, as the catalog does. */
export async function readTableScopeOf(db: Db, schema: string, name: string): Promise<CatalogSnapshot> {
  const [row] = await db.query<{ q: string }>(`SELECT format('%I.%I', $1::text, $2::text) AS q`, [schema, name]);
  return readTableScope(db, row!.q);
}
