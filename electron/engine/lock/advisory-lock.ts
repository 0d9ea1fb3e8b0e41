import type { Db } from '../db/db.ts';
import { GodwitError } from '../util/errors.ts';

/** The key Prisma Migrate locks with; holding it keeps Godwit and the Prisma CLI from migrating at once. */
export const PRISMA_LOCK_KEY = 72707369;
export const DEFAULT_LOCK_TIMEOUT_MS = 10_000;

export interface LockHolder {
  pid: number;
  application_name: string | null;
  usename: string | null;
  client_addr: string | null;
  backend_start: Date | null;
  state: string | null;
}

export async function lockHolder(db: Db): Promise<LockHolder | undefined> {
  const rows = await db.query<LockHolder>(
    `SELECT a.pid, a.application_name, a.usename, a.client_addr::text AS client_addr, a.backend_start, a.state
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = $1 AND l.objsubid = 1
        -- Advisory locks are per database: a migration of another database on the same server holds the same key.
        AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())`,
    [PRISMA_LOCK_KEY],
  );
  return rows[0];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `fn` holding Prisma's migration advisory lock on `db`'s session. Waits up to `timeoutMs` for it, then says
 * which backend holds it.
 */
export async function withMigrationLock<T>(db: Db, timeoutMs: number, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 25; ; delay = Math.min(delay * 2, 400)) {
    // Interrupted while waiting: nothing ran, nothing to undo.
    if (signal?.aborted) throw new GodwitError('interrupted', 'Interrupted while waiting for the migration lock: nothing ran.');
    const [row] = await db.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [PRISMA_LOCK_KEY]);
    if (row?.ok) break;
    if (Date.now() >= deadline) {
      const h = await lockHolder(db);
      const who = h
        ? `backend pid ${h.pid} (${h.application_name || 'unnamed client'}, user ${h.usename ?? '?'}${h.client_addr ? ` from ${h.client_addr}` : ''}, connected since ${h.backend_start ? new Date(h.backend_start).toISOString() : '?'}, ${h.state ?? 'unknown state'})`
        : 'another session';
      throw new GodwitError(
        'lock-timeout',
        `Another migration is running: Prisma's migration lock (${PRISMA_LOCK_KEY}) is held by ${who}; waited ${Math.round(timeoutMs / 1000)} s.`,
        'Wait for it to finish, or raise --lock-timeout.',
      );
    }
    await sleep(Math.min(delay, Math.max(0, deadline - Date.now())));
  }
  try {
    return await fn();
  } finally {
    await db.query('SELECT pg_advisory_unlock($1)', [PRISMA_LOCK_KEY]).catch(() => undefined);
  }
}
