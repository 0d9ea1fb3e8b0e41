import type { Db } from '../db/db.ts';

interface TableRow {
  ident: string;
  columns: string[];
  identity_always: boolean;
}

/** Leaf tables of the user's schemas (not the history table, not extension members), with their writable columns. */
const TABLES_SQL = `
SELECT pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname) AS ident,
  ARRAY(SELECT pg_catalog.quote_ident(a.attname) FROM pg_catalog.pg_attribute a
        WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum) AS columns,
  EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attidentity = 'a' AND NOT a.attisdropped) AS identity_always
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'godwit') AND n.nspname NOT LIKE 'pg\\_%'
  AND c.relname <> '_prisma_migrations'
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1`;

/** Every foreign key as a DELETE of the child rows it would reject (MATCH SIMPLE: a NULL column passes). */
const ORPHAN_DELETES_SQL = `
SELECT format('DELETE FROM %s c WHERE %s AND NOT EXISTS (SELECT 1 FROM %s p WHERE %s)',
  child, string_agg(format('c.%I IS NOT NULL', ca.attname), ' AND '), parent, string_agg(format('p.%I = c.%I', pa.attname, ca.attname), ' AND ')) AS sql
FROM (
  SELECT k.oid, pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(cc.relname) AS child,
         pg_catalog.quote_ident(pn.nspname) || '.' || pg_catalog.quote_ident(pc.relname) AS parent,
         k.conrelid, k.confrelid, u.ck, u.pk
  FROM pg_catalog.pg_constraint k
  JOIN pg_catalog.pg_class cc ON cc.oid = k.conrelid JOIN pg_catalog.pg_namespace cn ON cn.oid = cc.relnamespace
  JOIN pg_catalog.pg_class pc ON pc.oid = k.confrelid JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
  CROSS JOIN LATERAL unnest(k.conkey, k.confkey) AS u(ck, pk)
  WHERE k.contype = 'f' AND cc.relkind = 'r'
) f
JOIN pg_catalog.pg_attribute ca ON ca.attrelid = f.conrelid AND ca.attnum = f.ck
JOIN pg_catalog.pg_attribute pa ON pa.attrelid = f.confrelid AND pa.attnum = f.pk
GROUP BY f.oid, child, parent`;

/**
 * Copies up to `limit` rows of every table from `source` into `clone` (whose tables exist without their indexes and
 * constraints yet), through JSON: any type with a text form travels. The source is read in one READ ONLY
 * transaction under a short lock_timeout. Rows whose foreign keys point at rows not copied are then deleted (the
 * source's foreign keys, repeated until nothing changes), so pg_dump's post-data section restores cleanly.
 */
export async function copySample(source: Db, clone: Db, limit: number): Promise<number> {
  let copied = 0;
  await source.exec("BEGIN READ ONLY ISOLATION LEVEL REPEATABLE READ; SET LOCAL lock_timeout = '2s'");
  try {
    const tables = await source.query<TableRow>(TABLES_SQL);
    for (const t of tables) {
      if (!t.columns.length) continue;
      const cols = t.columns.join(', ');
      const [row] = await source.query<{ rows: unknown[] | null }>(`SELECT json_agg(x) AS rows FROM (SELECT ${cols} FROM ${t.ident} LIMIT ${Math.floor(limit)}) x`);
      if (!row?.rows?.length) continue;
      await clone.query(
        `INSERT INTO ${t.ident} (${cols}) ${t.identity_always ? 'OVERRIDING SYSTEM VALUE ' : ''}SELECT ${cols} FROM json_populate_recordset(NULL::${t.ident}, $1::json)`,
        [JSON.stringify(row.rows)],
      );
      copied += row.rows.length;
    }
    // Sequences as on the source, so rows a migration inserts do not collide with the copied ones.
    const sequences = await source.query<{ ident: string; last_value: string | null }>(
      "SELECT pg_catalog.quote_ident(schemaname) || '.' || pg_catalog.quote_ident(sequencename) AS ident, last_value::text FROM pg_catalog.pg_sequences WHERE last_value IS NOT NULL AND schemaname NOT IN ('godwit')");
    for (const q of sequences) await clone.query('SELECT pg_catalog.setval($1::regclass, $2::bigint)', [q.ident, q.last_value]).catch(() => undefined);
    const deletes = await source.query<{ sql: string }>(ORPHAN_DELETES_SQL);
    for (let round = 0; round < 20; round++) {
      let removed = 0;
      for (const d of deletes) removed += (await clone.query<{ n: number }>(`WITH gone AS (${d.sql} RETURNING 1) SELECT count(*)::int AS n FROM gone`))[0]?.n ?? 0;
      copied -= removed;
      if (removed === 0) break;
    }
  } finally {
    await source.exec('ROLLBACK').catch(() => undefined);
  }
  return copied;
}
