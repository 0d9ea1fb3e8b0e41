import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { SHADOW_PREFIX } from '../schema-engine/pg-adapter-factory.ts';
import { sendAsUpDoes } from '../sql/send-script.ts';
import type { SqlQuery } from '@prisma/driver-adapter-utils';
import { CACHE_FORMAT, CACHE_PREFIX, cacheDatabaseName, type ShadowScript } from './cache-key.ts';

/**
 * Cached shadows live on the environment's server as databases `godwit_shadow_cache_<hash>`, each holding the schema
 * a replay of some migrations produced. The marker is the database's comment (not a table inside: that would show
 * in every catalog read of the shadow); `default_transaction_read_only` set on the database keeps sessions,
 * ours included, from changing it. A database that lacks either is not trusted.
 */
export interface CacheEntry {
  datname: string;
  /** Null: the comment is not a marker of this format. */
  key: string | null;
  count: number;
  usedAt: number;
  readOnly: boolean;
  /** Owned by the connected role: only those are used, touched or evicted. */
  owned: boolean;
  /**
   * The queries the engine read this cache with last time (describing it), in order: a hint only — they are sent at
   * once when a session starts, and the engine's own queries are answered from them when they match exactly.
   */
  reads: SqlQuery[];
}

interface Marker {
  godwitShadowCache: number;
  key: string;
  count: number;
  usedAt: number;
  reads?: SqlQuery[];
}

/** A query kept in a marker: its text and arguments as JSON gives them back (anything else is not kept). */
export function isStorableQuery(q: unknown): q is SqlQuery {
  const v = q as SqlQuery | null;
  const plain = (x: unknown): boolean => x === null || ['string', 'number', 'boolean'].includes(typeof x) || (Array.isArray(x) && x.every(plain));
  return !!v && typeof v.sql === 'string' && Array.isArray(v.args) && v.args.every(plain) && Array.isArray(v.argTypes) && v.argTypes.every((t) => typeof t === 'object' && t !== null);
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

function parseMarker(comment: unknown): Marker | null {
  if (typeof comment !== 'string') return null;
  try {
    const m = JSON.parse(comment) as Partial<Marker>;
    if (m.godwitShadowCache !== CACHE_FORMAT || typeof m.key !== 'string' || typeof m.count !== 'number' || typeof m.usedAt !== 'number') return null;
    return m as Marker;
  } catch {
    return null;
  }
}

export async function listCaches(admin: pg.Client): Promise<CacheEntry[]> {
  const { rows } = await admin.query<{ datname: string; marker: string | null; owned: boolean; read_only: boolean }>(`
    SELECT d.datname, shobj_description(d.oid, 'pg_database') AS marker,
           d.datdba = (SELECT oid FROM pg_roles WHERE rolname = current_user) AS owned,
           EXISTS (SELECT 1 FROM pg_db_role_setting s
                   WHERE s.setdatabase = d.oid AND s.setrole = 0
                     AND 'default_transaction_read_only=on' = ANY (s.setconfig)) AS read_only
    FROM pg_database d WHERE d.datname LIKE '${CACHE_PREFIX.replace(/_/g, '\\_')}%'`);
  return rows.map((r) => {
    const m = parseMarker(r.marker);
    const reads = Array.isArray(m?.reads) && m.reads.every(isStorableQuery) ? m.reads : [];
    return { datname: r.datname, key: m?.key ?? null, count: m?.count ?? -1, usedAt: m?.usedAt ?? 0, readOnly: r.read_only, owned: r.owned, reads };
  });
}

/** True when `entry` is a trustworthy cache of the state after `count` scripts whose prefix key is `key`. */
export function isValidCache(entry: CacheEntry | undefined, key: string, count: number): entry is CacheEntry {
  return !!entry && entry.owned && entry.readOnly && entry.key === key && entry.count === count && entry.datname === cacheDatabaseName(key);
}

function markerFor(key: string, count: number, reads: SqlQuery[] = []): string {
  return JSON.stringify({ godwitShadowCache: CACHE_FORMAT, key, count, usedAt: Date.now(), ...(reads.length ? { reads } : {}) } satisfies Marker);
}

/** Records a use (for eviction, newest kept), at most once a minute per cache. */
export async function touchCache(admin: pg.Client, entry: CacheEntry): Promise<void> {
  if (Date.now() - entry.usedAt < 60_000 || !entry.key) return;
  // Best effort: a cache whose use went unrecorded is only evicted a little early.
  await admin.query(`COMMENT ON DATABASE ${ident(entry.datname)} IS ${literal(markerFor(entry.key, entry.count, entry.reads))}`).catch(() => undefined);
}

/** Keeps in the marker of the cache `entry` the queries it was just read with (best effort: they are a hint). */
export async function recordReads(admin: pg.Client, entry: CacheEntry, reads: SqlQuery[]): Promise<void> {
  if (!entry.key) return;
  await admin.query(`COMMENT ON DATABASE ${ident(entry.datname)} IS ${literal(markerFor(entry.key, entry.count, reads.filter(isStorableQuery)))}`).catch(() => undefined);
}

export async function dropDatabase(admin: pg.Client, name: string, force = false): Promise<boolean> {
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${ident(name)}${force ? ' WITH (FORCE)' : ''}`);
    return true;
  } catch {
    return false; // in use by another session (without FORCE) or not ours: left for a later eviction
  }
}

/**
 * Turns the database `tmp` (no session on it), which holds the state after `count` scripts, into the cache of that
 * state: read-only, marked, renamed. When another process kept the same state first, `tmp` is dropped (theirs is as
 * good). False, with `tmp` dropped, when that fails.
 */
export async function keepAsCache(admin: pg.Client, tmp: string, key: string, count: number): Promise<boolean> {
  try {
    await admin.query(`ALTER DATABASE ${ident(tmp)} SET default_transaction_read_only = on`);
    await admin.query(`COMMENT ON DATABASE ${ident(tmp)} IS ${literal(markerFor(key, count))}`);
    try {
      await admin.query(`ALTER DATABASE ${ident(tmp)} RENAME TO ${ident(cacheDatabaseName(key))}`);
    } catch (err) {
      if ((err as { code?: string }).code !== '42P04') throw err;
      await dropDatabase(admin, tmp, true);
    }
    return true;
  } catch {
    await dropDatabase(admin, tmp, true);
    return false;
  }
}

/**
 * Builds the cache of the state after `scripts` from `base`, the cache of a prefix of them: cloned under a temporary
 * shadow name, the remaining scripts sent whole as the engine's adapter sends them, then kept. Nothing is left behind
 * on failure. False when the clone could not start (another session is reading the base).
 */
export async function buildFromBase(admin: pg.Client, config: pg.ClientConfig, scripts: ShadowScript[], key: string, base: CacheEntry): Promise<boolean> {
  const tmp = `${SHADOW_PREFIX}${process.pid}_${randomBytes(6).toString('hex')}`;
  try {
    await admin.query(`CREATE DATABASE ${ident(tmp)} TEMPLATE ${ident(base.datname)}`);
  } catch (err) {
    if ((err as { code?: string }).code === '55006') return false;
    throw err;
  }
  try {
    const client = new pg.Client({ ...config, database: tmp });
    client.on('error', () => undefined);
    await client.connect();
    try {
      for (const s of scripts.slice(base.count)) await sendAsUpDoes(s.sql, (sql) => client.query(sql));
    } finally {
      await client.end().catch(() => undefined);
    }
  } catch (err) {
    await dropDatabase(admin, tmp, true);
    throw err;
  }
  if (!(await keepAsCache(admin, tmp, key, scripts.length))) throw new Error('The cache database could not be kept.');
  return true;
}

/**
 * Drops this role's caches beyond the `limit` most recently used, never those in `keep` (this call's). One used in
 * the last `graceMs` is spared too (parallel runs — CI jobs, test workers — must not drop each other's fresh caches),
 * unless there are more than four times `limit`.
 */
export async function evictCaches(admin: pg.Client, limit: number, keep: Set<string>, graceMs = 60_000): Promise<string[]> {
  const owned = (await listCaches(admin)).filter((e) => e.owned && !keep.has(e.datname)).sort((a, b) => b.usedAt - a.usedAt);
  const room = Math.max(0, limit - keep.size);
  const dropped: string[] = [];
  for (const [i, e] of owned.entries()) {
    if (i < room || (Date.now() - e.usedAt < graceMs && i < 4 * limit)) continue;
    if (await dropDatabase(admin, e.datname)) dropped.push(e.datname);
  }
  return dropped;
}

/** Drops every cache the connected role owns (another session's in-use cache is left); returns the names dropped. */
export async function clearCaches(admin: pg.Client): Promise<string[]> {
  const dropped: string[] = [];
  for (const e of await listCaches(admin)) if (e.owned && (await dropDatabase(admin, e.datname))) dropped.push(e.datname);
  return dropped;
}
