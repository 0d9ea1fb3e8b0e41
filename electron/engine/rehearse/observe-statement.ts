import type { Db } from '../db/db.ts';
import { LOCK_MODES, lockStrength, type LockMode } from '../analysis/lock-modes.ts';
import { quoteName } from '../preflight/sql-text.ts';

/** A user relation of the clone before or after a statement. */
interface Relation {
  name: string;
  relkind: string;
  relfilenode: number;
}

export type Snapshot = Map<number, Relation>;
export type HeldLocks = Set<string>;

/** User relations (tables, indexes, views, sequences…), named as a migration on the search path would name them. */
export async function relations(db: Db): Promise<Snapshot> {
  const rows = await db.query<{ oid: number; name: string; relkind: string; relfilenode: number }>(
    `SELECT c.oid::int8::float8 AS oid, CASE WHEN pg_catalog.pg_table_is_visible(c.oid) THEN c.relname ELSE n.nspname || '.' || c.relname END AS name,
            c.relkind::text AS relkind, c.relfilenode::int8::float8 AS relfilenode
       FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'`);
  return new Map(rows.map((r) => [Number(r.oid), { name: r.name, relkind: r.relkind, relfilenode: Number(r.relfilenode) }]));
}

const LOCKS_SQL = `SELECT relation::int8::float8 AS oid, mode FROM pg_catalog.pg_locks
  WHERE pid = $1 AND locktype = 'relation' AND granted AND database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())`;

/** The relation locks (oid:mode) a backend holds now. */
export async function heldLocks(db: Db, pid: number): Promise<HeldLocks> {
  const rows = await db.query<{ oid: number; mode: string }>(LOCKS_SQL, [pid]);
  return new Set(rows.map((r) => `${Number(r.oid)}:${r.mode}`));
}

const TABLE_LIKE = new Set(['r', 'p', 'v', 'm', 'f']);
export const normalName = (n: string) => (n.startsWith('public.') ? n.slice(7) : n);

/**
 * The strongest mode per pre-existing relation among the locks the statement took (in `after` but not `before`).
 * Tables, views and the like always count; an index or sequence only when the prediction names it (otherwise it is
 * locked as part of its table). A mode the transaction already held is not taken again, so it is credited when the
 * prediction expects it (`predicted`).
 */
export function locksTaken(before: Snapshot, held: { before: HeldLocks; after: HeldLocks }, predicted: Map<string, LockMode>): Map<string, LockMode> {
  const out = new Map<string, LockMode>();
  const put = (name: string, mode: LockMode) => {
    const prev = out.get(name);
    if (!prev || lockStrength(mode) > lockStrength(prev)) out.set(name, mode);
  };
  for (const key of held.after) {
    if (held.before.has(key)) continue;
    const [oidText, mode] = key.split(':') as [string, string];
    const rel = before.get(Number(oidText));
    if (!rel || !(LOCK_MODES as readonly string[]).includes(mode)) continue; // created by this statement, or unknown
    const name = normalName(rel.name);
    if (!TABLE_LIKE.has(rel.relkind) && !predicted.has(name)) continue;
    put(name, mode as LockMode);
  }
  for (const [name, mode] of predicted) {
    const oid = [...before].find(([, r]) => normalName(r.name) === name)?.[0];
    if (oid !== undefined && held.before.has(`${oid}:${mode}`) && !(out.has(name) && lockStrength(out.get(name)!) >= lockStrength(mode))) put(name, mode);
  }
  return out;
}

/** Pre-existing tables and materialized views that got a new file. */
export function rewritten(before: Snapshot, after: Snapshot): string[] {
  const out: string[] = [];
  for (const [oid, rel] of before) {
    if (rel.relkind !== 'r' && rel.relkind !== 'm') continue;
    const now = after.get(oid);
    if (now && now.relfilenode !== rel.relfilenode) out.push(normalName(rel.name));
  }
  return out.sort();
}

/**
 * Watches, from a second session, the locks `pid` holds while `work` runs: for statements outside a transaction,
 * whose locks are gone once they return. So that a quick statement is not missed between two polls, the watcher first
 * opens a transaction with a snapshot and ACCESS SHARE on `hold` (the tables the prediction names): CREATE INDEX
 * CONCURRENTLY waits for old snapshots, DROP INDEX CONCURRENTLY and statements wanting a stronger lock wait for that
 * lock. While the statement waits, its granted locks are read; then the watcher commits (at the latest after 2 s)
 * and the statement goes on.
 */
export async function sampleLocksDuring<T>(observer: Db, pid: number, hold: string[], work: () => Promise<T>): Promise<{ result: T; seen: HeldLocks }> {
  const seen: HeldLocks = new Set();
  let holding = false;
  try {
    await observer.exec('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await observer.query('SELECT 1');
    // NOWAIT: a block the script opened itself (its own BEGIN) may hold a conflicting lock between statements, and
    // waiting for it here, before the statement is sent, would wait forever. The watcher then only samples.
    for (const rel of hold) await observer.exec(`LOCK TABLE ${quoteName(rel)} IN ACCESS SHARE MODE NOWAIT`);
    holding = true;
  } catch {
    await observer.exec('ROLLBACK').catch(() => undefined);
  }
  let stop = false;
  const loop = (async () => {
    const started = performance.now();
    while (!stop) {
      const rows = await observer.query<{ oid: number | null; mode: string; granted: boolean; locktype: string }>(
        'SELECT relation::int8::float8 AS oid, mode, granted, locktype FROM pg_catalog.pg_locks WHERE pid = $1', [pid]).catch(() => []);
      for (const r of rows) if (r.granted && r.locktype === 'relation' && r.oid !== null) seen.add(`${Number(r.oid)}:${r.mode}`);
      if (holding && (rows.some((r) => !r.granted) || performance.now() - started > 2000)) {
        await observer.exec('COMMIT').catch(() => undefined);
        holding = false;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  try {
    return { result: await work(), seen };
  } finally {
    stop = true;
    await loop;
    if (holding) await observer.exec('COMMIT').catch(() => undefined);
  }
}
