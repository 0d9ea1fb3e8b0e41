import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import pg from 'pg';
import type { SqlQuery } from '@prisma/driver-adapter-utils';
import type { Db } from '../db/db.ts';
import type { LocalMigration } from '../migrations/read-folder.ts';
import { LazyPgAdapterFactory } from '../schema-engine/pg-adapter-lazy.ts';
import { packageRoot } from '../util/package-root.ts';
import { cacheDatabaseName, prefixKeys, shadowScripts, type CacheContext } from './cache-key.ts';
import { buildFromBase, clearCaches, dropDatabase, evictCaches, isValidCache, listCaches, recordReads, touchCache, type CacheEntry } from './cache-store.ts';
import { cachedShadows, type ShadowPlan, type ShadowSession } from './cached-shadows.ts';

/**
 * How a command's shadow databases were had: `hit` every one from the cache; `miss` some built now (by replaying,
 * from the longest cached prefix when that is cheaper) and kept; `fallback` the cache failed and the engine replayed
 * in full as without it; `off` no cache (embedded PGlite, a configured shadow URL, a `?schema=`, or disabled).
 */
export type ShadowCacheUse = 'hit' | 'miss' | 'fallback' | 'off';

const DEFAULT_LIMIT = 6;

/** GODWIT_SHADOW_CACHE: `off` (or 0) disables the cache; a number sets how many to keep per role and server. */
export function cacheLimit(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.GODWIT_SHADOW_CACHE?.trim().toLowerCase();
  if (!v) return DEFAULT_LIMIT;
  if (v === 'off' || v === 'false' || v === 'no') return 0;
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 ? n : DEFAULT_LIMIT;
}

/**
 * The settings of a server environment the cache can serve: its own shadows made by CREATE DATABASE and no
 * connection options (a `?schema=` search path changes where the engine creates its schema on a shadow).
 */
export function cacheableConfig(db: Db): pg.ClientConfig | null {
  if (db.kind !== 'postgres') return null;
  const factory = db.schemaEngineAdapter();
  if (!(factory instanceof LazyPgAdapterFactory)) return null;
  // The factory keeps the session's discrete settings; they are what a cache database is reached with too.
  const { config, shadowConfig } = factory;
  if (shadowConfig || config.options) return null;
  return config;
}

let versions: { godwit: string; prisma: string } | undefined;

function readVersions(): { godwit: string; prisma: string } {
  if (versions) return versions;
  const read = (path: string) => (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
  const glue = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  return (versions = { godwit: read(join(packageRoot(), 'package.json')), prisma: read(join(dirname(glue), 'package.json')) });
}

async function cacheContext(admin: pg.Client, initScript: string): Promise<CacheContext> {
  const { rows } = await admin.query<{ v: string; u: string }>(`SELECT current_setting('server_version_num') AS v, current_user AS u`);
  const v = readVersions();
  return { godwitVersion: v.godwit, prismaVersion: v.prisma, serverVersion: rows[0]!.v, user: rows[0]!.u, initScript };
}

async function connectAdmin(config: pg.ClientConfig): Promise<pg.Client> {
  const admin = new pg.Client(config);
  admin.on('error', () => undefined);
  await admin.connect();
  return admin;
}

/**
 * The cached prefix to clone from: the longest valid one, if it holds more than half the scripts (cloning copies
 * the whole database, which costs about what replaying the other half does).
 */
function bestBase(byName: Map<string, CacheEntry>, keys: string[], count: number): CacheEntry | null {
  for (let j = count - 1; j * 2 > count; j--) {
    const e = byName.get(cacheDatabaseName(keys[j]!));
    if (isValidCache(e, keys[j]!, j)) return e;
  }
  return null;
}

interface Prepared {
  plans: ShadowPlan[];
  /** Keys of the states cached now; the others are replayed by the engine and kept as they are made. */
  ready: Set<string>;
  built: boolean;
  /** The cache databases of the ready states, as listed. */
  entries: Map<string, CacheEntry>;
}

/**
 * Finds the cache of each state the engine will replay; a state not cached but extending a cached prefix (more than
 * half of it) is built from that prefix now. The plans keep the engine's order.
 */
async function prepare(config: pg.ClientConfig, initScript: string, shadows: LocalMigration[][]): Promise<Prepared> {
  const admin = await connectAdmin(config);
  try {
    const ctx = await cacheContext(admin, initScript);
    const wanted = shadows.map((list) => {
      const scripts = shadowScripts(initScript, list);
      const keys = prefixKeys(ctx, scripts);
      return { scripts, keys, key: keys[scripts.length]! };
    });
    const byName = new Map((await listCaches(admin)).map((e) => [e.datname, e]));
    const ready = new Set<string>();
    let built = false;
    // The shortest first: a longer one may then start from it.
    for (const { scripts, keys, key } of [...wanted].sort((a, b) => a.scripts.length - b.scripts.length)) {
      if (ready.has(key)) continue;
      const name = cacheDatabaseName(key);
      const entry = byName.get(name);
      if (isValidCache(entry, key, scripts.length)) {
        await touchCache(admin, entry);
        ready.add(key);
        continue;
      }
      // A database under this name that is not a valid cache (marker or setting changed by hand): replace it.
      if (entry && !(await dropDatabase(admin, name))) throw new Error(`${name} is not a valid cache and cannot be dropped.`);
      byName.delete(name);
      const base = bestBase(byName, keys, scripts.length);
      if (base && (await buildFromBase(admin, config, scripts, key, base))) {
        const now = (await listCaches(admin)).find((e) => e.datname === name);
        if (!isValidCache(now, key, scripts.length)) throw new Error('A cache just built does not read back as valid.');
        byName.set(name, now);
        ready.add(key);
        built = true;
      }
    }
    const entries = new Map([...ready].map((key) => [cacheDatabaseName(key), byName.get(cacheDatabaseName(key))!]));
    const plans = wanted.map(({ scripts, key }) => ({ key, database: cacheDatabaseName(key), scripts: scripts.map((s) => s.sql), reads: entries.get(cacheDatabaseName(key))?.reads }));
    return { plans, ready, built, entries };
  } finally {
    await admin.end().catch(() => undefined);
  }
}

async function evict(config: pg.ClientConfig, limit: number, keep: Set<string>): Promise<void> {
  const admin = await connectAdmin(config);
  try {
    await evictCaches(admin, limit, keep);
  } finally {
    await admin.end().catch(() => undefined);
  }
}

/** The caches read with other queries than their markers remember (compared as sets), with what they were read with. */
function changedReads(prepared: Prepared, session: ShadowSession): [CacheEntry, SqlQuery[]][] {
  const changed: [CacheEntry, SqlQuery[]][] = [];
  for (const [database, seen] of session.reads) {
    const entry = prepared.entries.get(database);
    const keys = (queries: SqlQuery[]) => queries.map((q) => JSON.stringify([q.sql, q.args])).sort().join('\n');
    if (entry && seen.size && keys([...seen.values()]) !== keys(entry.reads)) changed.push([entry, [...seen.values()]]);
  }
  return changed;
}

/** Best effort, once per cache and Prisma's way of reading it: a marker that is not updated only costs the next run time. */
async function rememberReads(config: pg.ClientConfig, changed: [CacheEntry, SqlQuery[]][]): Promise<void> {
  const admin = await connectAdmin(config);
  try {
    for (const [entry, reads] of changed) await recordReads(admin, entry, reads);
  } finally {
    await admin.end().catch(() => undefined);
  }
}

/**
 * Runs `run` — a schema-engine session whose shadows replay, in order, the migration lists `shadows` — with each
 * shadow served from a cached database on the environment's server instead of a replay, and each replay the engine
 * still has to make kept as a cache for the next call. Any failure of the cache (a marker that does not match, a
 * fault while the engine reads a cached shadow) ends in `run` on the plain database: a full replay, the answer it
 * always gave. `run` is told whether every planned state is cached already (`served`): then, if the plans are all
 * of one state, its engine sessions may ask for their shadows in any order, at once (a replay still to be made, or
 * plans of several states, must follow the planned order).
 */
export async function withShadowCache<T>(db: Db, initScript: string, shadows: LocalMigration[][], run: (db: Db, served: boolean) => Promise<T>, use = true): Promise<{ value: T; cache: ShadowCacheUse }> {
  // `use` false: the environment is protected, and no cache database is kept on its server (README, "Shadow cache").
  const limit = use ? cacheLimit() : 0;
  const config = limit > 0 ? cacheableConfig(db) : null;
  if (!config) return { value: await run(db, false), cache: 'off' };
  let prepared: Prepared | null = null;
  try {
    prepared = await prepare(config, initScript, shadows);
  } catch {
    prepared = null;
  }
  if (!prepared) return { value: await run(db, false), cache: 'fallback' };
  const session = cachedShadows(db, config, prepared.plans, prepared.ready);
  try {
    const value = await run(session.db, prepared.plans.every((p) => prepared!.ready.has(p.key)));
    if (!session.faults.length) {
      const changed = changedReads(prepared, session);
      if (changed.length) await rememberReads(config, changed).catch(() => undefined);
      return { value, cache: prepared.built || session.captured || !session.served ? 'miss' : 'hit' };
    }
  } catch (err) {
    // Without a cached shadow read, the run was the plain one: its error is the command's.
    if (!session.served) throw err;
  } finally {
    await session.settled;
    if (prepared.built || session.captured) await evict(config, limit, new Set(prepared.plans.map((p) => p.database))).catch(() => undefined);
  }
  return { value: await run(db, false), cache: 'fallback' };
}

/** The name of the cache database that holds (or would hold) the replay of `migrations` on this environment's server. */
export async function shadowCacheName(db: Db, initScript: string, migrations: LocalMigration[]): Promise<string | null> {
  const config = cacheableConfig(db);
  if (!config) return null;
  const admin = await connectAdmin(config);
  try {
    const scripts = shadowScripts(initScript, migrations);
    return cacheDatabaseName(prefixKeys(await cacheContext(admin, initScript), scripts)[scripts.length]!);
  } finally {
    await admin.end().catch(() => undefined);
  }
}

/** Drops every shadow cache the environment's role owns on its server; returns the names dropped. */
export async function clearShadowCache(db: Db): Promise<string[]> {
  const config = cacheableConfig(db);
  if (!config) return [];
  const admin = await connectAdmin(config);
  try {
    return await clearCaches(admin);
  } finally {
    await admin.end().catch(() => undefined);
  }
}
