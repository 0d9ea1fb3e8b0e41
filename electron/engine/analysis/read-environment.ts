import type { Db } from '../db/db.ts';
import type { SchemaModel, RelationKind } from './schema-model.ts';
import type { RelationStats } from './types.ts';

const KINDS: Record<string, RelationKind> = { r: 'table', p: 'partitioned', i: 'index', I: 'index', v: 'view', m: 'matview', S: 'sequence' };

/** `name` when on the search path, else `schema.name`: how a migration would name the relation. */
const display = (oid: string) =>
  `(SELECT CASE WHEN pg_catalog.pg_table_is_visible(c.oid) THEN c.relname ELSE n.nspname || '.' || c.relname END FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = ${oid})`;

/** The names of a constraint's columns, in key order. */
const attnames = (rel: string, keys: string) =>
  `(SELECT json_agg(a.attname ORDER BY u.o) FROM unnest(${keys}) WITH ORDINALITY u(n, o) JOIN pg_catalog.pg_attribute a ON a.attrelid = ${rel} AND a.attnum = u.n)`;

/**
 * One query for everything the analysis asks of an environment: the server version; for each named relation (and
 * the table of a named index, the tables its foreign keys reference, a partitioned table's default partition) its
 * kind, estimated rows, total size, scan and write counters, columns and constraints; and how volatile the named
 * functions are.
 */
const ENVIRONMENT_SQL = `
WITH wanted AS (
  SELECT w.key, pg_catalog.to_regclass(w.ident) AS oid FROM unnest($1::text[], $2::text[]) AS w(key, ident)
), implied AS (
  SELECT i.indrelid AS oid FROM wanted w JOIN pg_catalog.pg_index i ON i.indexrelid = w.oid
  UNION SELECT k.confrelid FROM wanted w JOIN pg_catalog.pg_constraint k ON k.conrelid = w.oid AND k.contype = 'f'
  UNION SELECT p.partdefid FROM wanted w JOIN pg_catalog.pg_partitioned_table p ON p.partrelid = w.oid AND p.partdefid <> 0
), rel AS (
  SELECT key, oid FROM wanted WHERE oid IS NOT NULL
  UNION SELECT ${display('implied.oid')}, implied.oid FROM implied WHERE implied.oid NOT IN (SELECT oid FROM wanted WHERE oid IS NOT NULL)
)
SELECT
  pg_catalog.current_setting('server_version_num')::int AS version_num,
  extract(epoch FROM now() - COALESCE((SELECT stats_reset FROM pg_catalog.pg_stat_database WHERE datname = current_database()), pg_catalog.pg_postmaster_start_time()))::float8 AS stats_age,
  COALESCE((SELECT json_agg(json_build_object(
    'key', r.key, 'kind', c.relkind, 'rows', c.reltuples, 'size', pg_catalog.pg_total_relation_size(c.oid),
    'seqScan', COALESCE(s.seq_scan, 0), 'idxScan', COALESCE(s.idx_scan, 0), 'inserts', COALESCE(s.n_tup_ins, 0),
    'updates', COALESCE(s.n_tup_upd, 0), 'deletes', COALESCE(s.n_tup_del, 0),
    'table', (SELECT ${display('i.indrelid')} FROM pg_catalog.pg_index i WHERE i.indexrelid = c.oid),
    'defaultPartition', (SELECT ${display('p.partdefid')} FROM pg_catalog.pg_partitioned_table p WHERE p.partrelid = c.oid AND p.partdefid <> 0),
    'columns', (SELECT json_agg(json_build_object('name', a.attname, 'type', t.typname, 'typmod', a.atttypmod))
                FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
                WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped),
    'constraints', (SELECT json_agg(json_build_object('name', k.conname, 'type', k.contype, 'validated', k.convalidated,
                      'references', CASE WHEN k.confrelid <> 0 THEN ${display('k.confrelid')} END, 'def', pg_catalog.pg_get_constraintdef(k.oid),
                      'columns', ${attnames('k.conrelid', 'k.conkey')}, 'refColumns', ${attnames('k.confrelid', 'k.confkey')}))
                    FROM pg_catalog.pg_constraint k WHERE k.conrelid = c.oid),
    'referencedBy', (SELECT json_agg(json_build_object('table', ${display('k.conrelid')}, 'name', k.conname,
                      'columns', ${attnames('k.conrelid', 'k.conkey')}, 'refColumns', ${attnames('k.confrelid', 'k.confkey')}))
                    FROM pg_catalog.pg_constraint k WHERE k.confrelid = c.oid AND k.contype = 'f' AND k.conrelid <> c.oid)
  )) FROM rel r JOIN pg_catalog.pg_class c ON c.oid = r.oid LEFT JOIN pg_catalog.pg_stat_user_tables s ON s.relid = c.oid), '[]') AS relations,
  COALESCE((SELECT json_object_agg(proname, volatility) FROM (
    SELECT proname, max(provolatile) AS volatility FROM pg_catalog.pg_proc WHERE proname = ANY($3::text[]) GROUP BY proname) f), '{}') AS functions`;

interface RelationRow {
  key: string; kind: string; rows: number; size: number; seqScan: number; idxScan: number; inserts: number; updates: number; deletes: number;
  table: string | null; defaultPartition: string | null;
  columns: { name: string; type: string; typmod: number }[] | null;
  constraints: { name: string; type: string; validated: boolean; references: string | null; def: string; columns: string[] | null; refColumns: string[] | null }[] | null;
  /** Foreign keys of other tables that reference this one (ALTER COLUMN TYPE on a referenced column locks them). */
  referencedBy: { table: string; name: string; columns: string[] | null; refColumns: string[] | null }[] | null;
}

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;
/** `a.b` as parse trees give it (already case-folded) → `"a"."b"` for to_regclass. */
const identOf = (name: string) => {
  const dot = name.indexOf('.');
  return dot === -1 ? quoteIdent(name) : `${quoteIdent(name.slice(0, dot))}.${quoteIdent(name.slice(dot + 1))}`;
};

const NOT_NULL_CHECK = /^CHECK \(\("?(.+?)"? IS NOT NULL\)\)$/;

/** Reads the environment once and seeds `model` with it; returns the server's major version. */
export async function readEnvironment(db: Db, model: SchemaModel, relations: string[], functions: string[]): Promise<number> {
  const [row] = await db.query<{ version_num: number; stats_age: number; relations: RelationRow[]; functions: Record<string, string> }>(
    ENVIRONMENT_SQL, [relations, relations.map(identOf), functions]);
  if (!row) return 15;
  const age = Number(row.stats_age);
  for (const r of row.relations) {
    const facts = model.touch(r.key, KINDS[r.kind] ?? 'other');
    facts.kind = KINDS[r.kind] ?? 'other';
    facts.table = r.table ?? undefined;
    facts.defaultPartition = r.defaultPartition ?? undefined;
    for (const c of r.columns ?? []) facts.columns.set(c.name, { name: c.type, typmod: c.typmod });
    for (const k of r.constraints ?? []) {
      facts.constraints.set(k.name, {
        type: k.type, references: k.references ?? undefined, validated: k.validated, columns: k.columns ?? undefined,
        refColumns: k.refColumns ?? undefined, notNullColumn: k.type === 'c' ? NOT_NULL_CHECK.exec(k.def)?.[1] : undefined,
      });
    }
    for (const k of r.referencedBy ?? []) {
      const referencing = model.touch(k.table);
      if (!referencing.constraints.has(k.name)) {
        referencing.constraints.set(k.name, { type: 'f', references: r.key, validated: true, columns: k.columns ?? undefined, refColumns: k.refColumns ?? undefined });
      }
    }
    const ops = Number(r.seqScan) + Number(r.idxScan) + Number(r.inserts) + Number(r.updates) + Number(r.deletes);
    const stats: RelationStats = {
      rows: Number(r.rows) < 0 ? null : Number(r.rows), sizeBytes: Number(r.size), seqScan: Number(r.seqScan), idxScan: Number(r.idxScan),
      inserts: Number(r.inserts), updates: Number(r.updates), deletes: Number(r.deletes), opsPerSecond: age > 0 ? ops / age : null,
    };
    facts.stats = stats;
  }
  for (const [name, v] of Object.entries(row.functions ?? {})) model.volatility.set(name, v);
  return Math.floor(Number(row.version_num) / 10000);
}
