import type { Db } from '../db/db.ts';
import { describeError } from '../util/errors.ts';
import type { CheckQuery, CheckSpec } from './derive-checks.ts';
import { quoteIdent, quoteName, truncate } from './sql-text.ts';
import { sqlLiteral as sqlText } from '../history/history-table.ts';
import type { DataCheck } from './types.ts';

const SAMPLES = 5;

interface Found {
  count: number;
  rows?: number | undefined;
  samples: string[];
}

/** The query of a check; its one row has n (violations), optionally rows, and samples (a json array of text). */
function sqlOf(q: Exclude<CheckQuery, { shape: 'cast' }>, parentColumns: string[] | null, shown: string[]): string {
  const t = quoteName(q.table);
  switch (q.shape) {
    case 'count': {
      // A sample row shows its primary key and the checked columns, nothing else: a preflight's output goes to CI
      // logs, and whole rows put users' e-mail addresses there (civitai). Without either, where the row is (ctid).
      const keep = `ARRAY[${shown.map(sqlText).join(', ')}]::text[] || ARRAY(SELECT a.attname::text FROM pg_catalog.pg_constraint c CROSS JOIN LATERAL unnest(c.conkey) AS k(attnum)
          JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum WHERE c.conrelid = pg_catalog.to_regclass(${sqlText(t)}) AND c.contype = 'p')`;
      const shownRow = `coalesce(nullif((SELECT jsonb_object_agg(e.key, e.value) FROM jsonb_each(to_jsonb(x) - 'godwit_row') e WHERE e.key = ANY (${keep})), '{}'::jsonb), jsonb_build_object('row', x.godwit_row::text))`;
      // A sample cut short says so (a row's JSON stopped mid-way read as broken: inbox-zero).
      return `SELECT count(*)::float8 AS n, (SELECT json_agg(CASE WHEN length(s.r::text) > 120 THEN left(s.r::text, 119) || '…' ELSE s.r::text END) FROM (SELECT ${shownRow} AS r FROM (SELECT ctid AS godwit_row, * FROM ${t} WHERE ${q.where} LIMIT ${SAMPLES}) x) s) AS samples FROM ${t} WHERE ${q.where}`;
    }
    case 'unique': {
      const ks = q.keys.map((_, i) => `k${i}`);
      const notNull = q.nullsDistinct ? `WHERE ${ks.map((k) => `${k} IS NOT NULL`).join(' AND ')}` : '';
      return `WITH d AS (
  SELECT json_build_array(${ks.join(', ')})::text AS k, count(*) AS c
  FROM (SELECT ${q.keys.map((k, i) => `${k} AS k${i}`).join(', ')} FROM ${t}${q.predicate ? ` WHERE ${q.predicate}` : ''}) x
  ${notNull} GROUP BY ${ks.join(', ')} HAVING count(*) > 1)
SELECT count(*)::float8 AS n, COALESCE(sum(c), 0)::float8 AS rows, (SELECT json_agg(left(k, 120)) FROM (SELECT k FROM d ORDER BY c DESC, k LIMIT ${SAMPLES}) s) AS samples FROM d`;
    }
    case 'orphans': {
      const cols = q.columns.map((c) => `c.${quoteIdent(c)}`);
      const present = cols.map((c) => `${c} IS NOT NULL`).join(' AND ');
      const missing = q.parentIsNew
        ? 'true'
        : `NOT EXISTS (SELECT 1 FROM ${quoteName(q.parent)} p WHERE ${parentColumns!.map((pc, i) => `p.${quoteIdent(pc)} = ${cols[i]}`).join(' AND ')})`;
      return `WITH o AS (SELECT json_build_array(${cols.join(', ')})::text AS k FROM ${t} c WHERE ${present} AND ${missing})
SELECT count(*)::float8 AS n, (SELECT json_agg(left(k, 120)) FROM (SELECT DISTINCT k FROM o ORDER BY k LIMIT ${SAMPLES}) s) AS samples FROM o`;
    }
  }
}

/**
 * ALTER COLUMN TYPE converts each value with the assignment cast (or the USING expression); PL/pgSQL assignment
 * does the same, so a DO block tries it row by row, catches what fails, and hands the count back in an error's
 * DETAIL (a DO block returns nothing, and the transaction is read-only).
 */
function castBlock(q: Extract<CheckQuery, { shape: 'cast' }>): string {
  const t = quoteName(q.table);
  const col = quoteIdent(q.column);
  // With USING, the expression itself may fail: it is evaluated per row (found by ctid) inside the handler.
  // Variables are prefixed so they never shadow a column the USING expression names.
  const loop = q.using
    ? `FOR godwit_r IN SELECT ctid AS id, ${col}::text AS x FROM ${t} LOOP
    BEGIN
      SELECT (${q.using}) INTO godwit_v FROM ${t} WHERE ctid = godwit_r.id;`
    : `FOR godwit_r IN SELECT ${col} AS x FROM ${t} WHERE ${col} IS NOT NULL LOOP
    BEGIN
      godwit_v := godwit_r.x;`;
  return `DO $godwit_cast$
DECLARE godwit_r record; godwit_v ${q.type}; godwit_bad bigint := 0; godwit_samples text[] := '{}';
BEGIN
  ${loop}
    EXCEPTION WHEN OTHERS THEN
      godwit_bad := godwit_bad + 1;
      IF cardinality(godwit_samples) < ${SAMPLES} THEN godwit_samples := godwit_samples || left(coalesce(godwit_r.x::text, 'NULL'), 120); END IF;
    END;
  END LOOP;
  RAISE EXCEPTION 'godwit cast check' USING DETAIL = json_build_object('n', godwit_bad, 'samples', godwit_samples)::text;
END $godwit_cast$`;
}

/** The referenced table's primary key columns, when the foreign key does not name them. */
async function primaryKeyOf(db: Db, table: string): Promise<string[] | null> {
  const [row] = await db.query<{ cols: string[] | null }>(
    `SELECT array_agg(a.attname::text ORDER BY k.ord) AS cols FROM pg_catalog.pg_constraint c
       CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
      WHERE c.conrelid = pg_catalog.to_regclass($1) AND c.contype = 'p'`,
    [quoteName(table)],
  );
  return row?.cols ?? null;
}

async function runOne(db: Db, q: CheckQuery, shown: string[]): Promise<Found> {
  if (q.shape === 'cast') {
    try {
      await db.exec(castBlock(q));
    } catch (err) {
      const e = err as { message?: string; detail?: string };
      if (e.message === 'godwit cast check' && e.detail) {
        const d = JSON.parse(e.detail) as { n: number; samples: string[] };
        return { count: Number(d.n), samples: d.samples };
      }
      throw err;
    }
    throw new Error('the cast check ended without its result');
  }
  let parentColumns: string[] | null = null;
  if (q.shape === 'orphans' && !q.parentIsNew) {
    parentColumns = q.parentColumns ?? (await primaryKeyOf(db, q.parent));
    if (!parentColumns || parentColumns.length !== q.columns.length) throw new Error(`cannot tell which columns of ${q.parent} the foreign key references`);
  }
  const [row] = await db.query<{ n: number; rows?: number; samples: string[] | null }>(sqlOf(q, parentColumns, shown));
  return { count: Number(row?.n ?? 0), rows: row?.rows === undefined ? undefined : Number(row.rows), samples: row?.samples ?? [] };
}

function sentence(spec: CheckSpec, f: Found): string {
  const b = spec.base;
  const q = spec.query!;
  if (f.count === 0) return 'No existing row violates it.';
  switch (b.kind) {
    case 'not-null':
      return q.shape === 'count' && q.where === 'true'
        ? `${f.count} existing row(s) in ${b.table}: ${b.columns.length ? `the NOT NULL column ${b.columns[0]}` : 'a NOT NULL column'} without a default fails on them.`
        : `${f.count} row(s) of ${b.table} have NULL in ${b.columns.join(', ')}.`;
    case 'unique':
      return `${f.count} duplicate key group(s) in ${b.table} (${b.columns.join(', ')}), ${f.rows} rows in all.`;
    case 'foreign-key':
      return q.shape === 'orphans' && q.parentIsNew
        ? `${f.count} row(s) of ${b.table} reference ${q.parent}, which this batch creates empty.`
        : `${f.count} row(s) of ${b.table} reference no row of ${q.shape === 'orphans' ? q.parent : '?'} (orphans).`;
    case 'check':
      return `${f.count} row(s) of ${b.table} fail the CHECK.`;
    case 'type-cast':
      return q.shape === 'count'
        ? `${f.count} row(s) of ${b.table} hold a value of ${b.columns[0]} that ${q.type ?? 'the new type'} no longer has: the conversion fails on them.`
        : `${f.count} value(s) of ${b.table}.${b.columns[0]} do not convert to ${q.shape === 'cast' ? q.type : '?'}.`;
  }
}

/**
 * Runs the checks one by one, each in its own READ ONLY transaction with a statement_timeout (and a short
 * lock_timeout: a check must never queue behind, or in front of, someone's DDL), and reports counts.
 */
export async function runChecks(db: Db, specs: CheckSpec[], timeoutMs: number): Promise<DataCheck[]> {
  const out: DataCheck[] = [];
  for (const spec of specs) {
    if (spec.skip || !spec.query) {
      out.push({ ...spec.base, status: 'skipped', count: null, samples: [], detail: `Skipped: ${spec.skip ?? 'nothing to check'}.` });
      continue;
    }
    try {
      await db.exec(`BEGIN READ ONLY; SET LOCAL statement_timeout = ${Math.max(1, Math.round(timeoutMs))}; SET LOCAL lock_timeout = ${Math.max(1, Math.min(2000, Math.round(timeoutMs)))}`);
      const found = await runOne(db, spec.query, spec.base.columns);
      out.push({ ...spec.base, status: found.count > 0 ? 'violations' : 'ok', count: found.count, ...(found.rows !== undefined ? { rows: found.rows } : {}), samples: found.samples.map((s) => truncate(s, 120)), detail: sentence(spec, found) });
    } catch (err) {
      const code = (err as { code?: string }).code;
      const timeout = code === '57014' || code === '55P03';
      // A value an earlier migration of the batch adds to an enum is not there yet: the check cannot run before it.
      const notYet = code === '22P02' && /invalid input value for enum/i.test(describeError(err));
      const missing = code === '42P01' || code === '42703' || notYet;
      out.push({
        ...spec.base,
        status: missing ? 'skipped' : timeout ? 'timeout' : 'error',
        count: null,
        samples: [],
        detail: missing
          ? `Skipped: it refers to something the database does not have yet (${describeError(err)})${notYet ? ': an enum value an earlier migration adds' : ''}.`
          : timeout
            ? `Not finished within ${timeoutMs} ms (${code === '55P03' ? 'waited for a lock' : 'statement_timeout'}): the table may be large; nothing is known.`
            : `The check failed: ${describeError(err)}`,
      });
    } finally {
      await db.exec('ROLLBACK').catch(() => undefined);
    }
  }
  return out;
}
