import type { Db } from '../db/db.ts';
import type { LockMode } from '../analysis/lock-modes.ts';
import type { PlanAnalysis } from '../analysis/types.ts';
import { describeBlocker } from '../lock/blockers.ts';
import { isLockMode, locksConflict } from './lock-conflicts.ts';
import { quoteName, truncate } from './sql-text.ts';
import type { BlockerKind, LockConflict, PreflightBlocker } from './types.ts';

/** A lock a pending statement will take on an existing relation. */
interface Need {
  relation: string;
  mode: LockMode;
  migration: string;
  line: number;
}

/** Every (relation, mode) the plan needs on relations that exist before it, first statement first. */
export function lockNeeds(analysis: PlanAnalysis): Need[] {
  const needs: Need[] = [];
  const seen = new Set<string>();
  for (const m of analysis.migrations) {
    for (const s of m.statements) {
      for (const lock of s.locks) {
        if (lock.createdByPlan) continue;
        const key = `${lock.relation}\0${lock.mode}`;
        if (seen.has(key)) continue;
        seen.add(key);
        needs.push({ relation: lock.relation, mode: lock.mode, migration: m.name, line: s.line });
      }
    }
  }
  return needs;
}

interface SessionRow {
  pid: number;
  usename: string | null;
  application_name: string | null;
  state: string | null;
  backend_type: string | null;
  xact_ms: number | null;
  query_ms: number | null;
  query: string | null;
  locks: { key: string; mode: string; granted: boolean }[];
}

/**
 * Every other session of this database, with the relation locks it holds or waits for on the relations the plan
 * touches (resolved with to_regclass, so a relation the plan creates is simply absent).
 */
const SESSIONS_SQL = `
WITH wanted AS (
  SELECT w.key, pg_catalog.to_regclass(w.ident) AS oid FROM unnest($1::text[], $2::text[]) AS w(key, ident)
)
SELECT a.pid, a.usename, a.application_name, a.state, a.backend_type,
  (extract(epoch FROM clock_timestamp() - a.xact_start) * 1000)::float8 AS xact_ms,
  (extract(epoch FROM clock_timestamp() - a.query_start) * 1000)::float8 AS query_ms,
  left(a.query, 2000) AS query,
  COALESCE((SELECT json_agg(json_build_object('key', w.key, 'mode', l.mode, 'granted', l.granted))
    FROM pg_catalog.pg_locks l JOIN wanted w ON w.oid = l.relation
    WHERE l.pid = a.pid AND l.locktype = 'relation'
      AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())), '[]') AS locks
FROM pg_catalog.pg_stat_activity a
WHERE a.datname = pg_catalog.current_database() AND a.pid <> pg_catalog.pg_backend_pid()
ORDER BY a.pid`;

const maskPasswords = (q: string) => q.replace(/(password\s+)'(?:[^']|'')*'/gi, "$1'****'");

const seconds = (ms: number) => (ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`);

function reasonOf(kinds: BlockerKind[], conflicts: LockConflict[], ageMs: number | null): string {
  const parts: string[] = [];
  const c = conflicts[0];
  if (c) {
    parts.push(`${c.granted ? 'holds' : 'waits for'} ${c.mode} on ${c.relation}, which conflicts with the ${c.needed} that ${c.migration} (line ${c.line}) needs${conflicts.length > 1 ? ` (and ${conflicts.length - 1} more conflict(s))` : ''}`);
  }
  if (kinds.includes('pg_dump')) parts.push('is a pg_dump reading affected tables');
  if (kinds.includes('autovacuum')) parts.push('is autovacuum working on an affected table');
  if (kinds.includes('idle-in-transaction')) parts.push(`is idle in a transaction open for ${seconds(ageMs ?? 0)}`);
  else if (kinds.includes('long-transaction')) parts.push(`has a transaction open for ${seconds(ageMs ?? 0)}`);
  return parts.join('; ');
}

/**
 * Sessions that stand in the way of the plan: they hold or wait for a lock that conflicts with one a pending
 * statement needs (a DDL statement queued behind them would make every later query on the table queue behind it),
 * or they keep a transaction open too long, or idle in one, or they are pg_dump or autovacuum on an affected table.
 */
export async function findBlockers(db: Db, analysis: PlanAnalysis, limits: { longTransactionMs: number; idleInTransactionMs: number }): Promise<PreflightBlocker[]> {
  if (db.kind !== 'postgres') return [];
  const needs = lockNeeds(analysis);
  const relations = [...new Set(needs.map((n) => n.relation))];
  const rows = await db.query<SessionRow>(SESSIONS_SQL, [relations, relations.map(quoteName)]);
  const blockers: PreflightBlocker[] = [];
  for (const r of rows) {
    const kinds: BlockerKind[] = [];
    const conflicts: LockConflict[] = [];
    for (const held of r.locks) {
      if (!isLockMode(held.mode)) continue;
      const need = needs.find((n) => n.relation === held.key && locksConflict(n.mode, held.mode as LockMode));
      if (need && !conflicts.some((c) => c.relation === held.key && c.mode === held.mode)) {
        conflicts.push({ relation: held.key, mode: held.mode, granted: held.granted, needed: need.mode, migration: need.migration, line: need.line });
      }
    }
    if (conflicts.length) kinds.push('lock-conflict');
    const onAffected = r.locks.length > 0;
    if (onAffected && r.application_name === 'pg_dump') kinds.push('pg_dump');
    if (onAffected && r.backend_type === 'autovacuum worker') kinds.push('autovacuum');
    const xact = r.xact_ms === null ? null : Number(r.xact_ms);
    const client = r.backend_type === 'client backend';
    if (client && xact !== null && r.state?.startsWith('idle in transaction') && xact >= limits.idleInTransactionMs) kinds.push('idle-in-transaction');
    else if (client && xact !== null && xact >= limits.longTransactionMs) kinds.push('long-transaction');
    if (!kinds.length) continue;
    const ageMs = xact ?? (r.query_ms === null ? null : Number(r.query_ms));
    blockers.push({
      pid: r.pid,
      user: r.usename,
      application: r.application_name || null,
      state: r.state,
      backendType: r.backend_type,
      ageMs: ageMs === null ? null : Math.round(ageMs),
      query: r.query === null ? null : truncate(maskPasswords(r.query)),
      kinds,
      conflicts,
      reason: reasonOf(kinds, conflicts, ageMs),
    });
  }
  return blockers;
}

/** "pid 4242 (user app, psql, idle in transaction for 12 s): SELECT … — holds AccessShareLock on …" */
export function describePreflightBlocker(b: PreflightBlocker): string {
  return `${describeBlocker(b)} — ${b.reason}`;
}
