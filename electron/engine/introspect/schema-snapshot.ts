import type { Db } from '../db/db.ts';

/** What `godwit compare` compares: every user relation's columns, indexes and constraints, keyed by name. */
export interface SchemaSnapshot {
  relations: Map<string, { kind: string; columns: Map<string, ColumnShape>; indexes: Map<string, string>; constraints: Map<string, string> }>;
}

export interface ColumnShape {
  type: string;
  notNull: boolean;
  default: string | null;
}

const USER_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'godwit') AND n.nspname !~ '^pg_toast' AND n.nspname !~ '^pg_temp'`;

/** Reads a schema snapshot in one round trip. */
export async function readSchemaSnapshot(db: Db): Promise<SchemaSnapshot> {
  const [rels = [], cols = [], idx = [], cons = []] = await db.queryBatch(`
SELECT c.oid::int8 AS relid, n.nspname || '.' || c.relname AS name, c.relkind::text AS kind
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND ${USER_SCHEMAS};
SELECT a.attrelid::int8 AS relid, a.attname AS name, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull,
       pg_catalog.pg_get_expr(d.adbin, d.adrelid, true) AS def
  FROM pg_catalog.pg_attribute a
  JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
 WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ${USER_SCHEMAS};
SELECT i.indrelid::int8 AS relid, ic.relname AS name, pg_catalog.pg_get_indexdef(i.indexrelid, 0, true) AS def
  FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = ic.relnamespace WHERE ${USER_SCHEMAS};
SELECT r.conrelid::int8 AS relid, r.conname AS name, pg_catalog.pg_get_constraintdef(r.oid, true) AS def
  FROM pg_catalog.pg_constraint r JOIN pg_catalog.pg_class c ON c.oid = r.conrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_SCHEMAS};`);
  const byId = new Map<number, string>();
  const relations: SchemaSnapshot['relations'] = new Map();
  for (const r of rels) {
    byId.set(Number(r.relid), String(r.name));
    relations.set(String(r.name), { kind: String(r.kind), columns: new Map(), indexes: new Map(), constraints: new Map() });
  }
  const rel = (id: unknown) => relations.get(byId.get(Number(id)) ?? '');
  for (const c of cols) rel(c.relid)?.columns.set(String(c.name), { type: String(c.type), notNull: c.notnull === true, default: c.def === null ? null : String(c.def) });
  for (const i of idx) rel(i.relid)?.indexes.set(String(i.name), String(i.def));
  for (const k of cons) rel(k.relid)?.constraints.set(String(k.name), String(k.def));
  return { relations };
}
