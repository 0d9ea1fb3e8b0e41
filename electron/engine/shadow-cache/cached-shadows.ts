import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { SqlDriverAdapter, SqlQuery, SqlResultSet } from '@prisma/driver-adapter-utils';
import { withWrappedEngineAdapter, type Db, type SchemaEngineAdapterFactory } from '../db/db.ts';
import { withCharacterColumns } from '../schema-engine/pg-char-columns.ts';
import { endPool, sendOnOneClient, SHADOW_PREFIX, shadowPool, toAdapterError } from '../schema-engine/pg-adapter-factory.ts';
import { keepAsCache } from './cache-store.ts';
import { markFinalState } from './cached-state.ts';

/** One shadow the engine will ask for: the state's key, its cache database, and the scripts the engine replays. */
export interface ShadowPlan {
  key: string;
  database: string;
  scripts: string[];
  /** For a cached state: the queries it was read with last time (cache-store.ts, `reads`), sent when the session starts. */
  reads?: SqlQuery[];
}

/** What the cache did for one engine session. */
export interface ShadowSession {
  db: Db;
  /** Why a cached shadow could not be trusted: non-empty means the result must be discarded. */
  faults: string[];
  /** Shadows read from a cache, and replays kept as new caches. */
  served: number;
  captured: number;
  /** Per cache database read, the queries the engine read it with (by answer key), in the order first sent. */
  reads: Map<string, Map<string, SqlQuery>>;
  /** Resolves once the queries sent ahead have settled and their connections are closed. */
  settled: Promise<void>;
}

/**
 * The database `db`, except that the shadows Prisma's engine asks for follow the plans, in order:
 * - a state already cached (`ready`) is read as it is: the engine's replay of each script the cache holds is skipped
 *   after checking it is that very script. Anything else — a script out of plan, an error on the cached shadow, a
 *   shadow read before its replay reached the cached state — is a fault: the caller discards the result and replays
 *   in full. Sessions are read-only (and the database is set so), so the engine cannot change a cache;
 * - a state not cached yet is replayed by the engine as always, on a fresh database which, if the replay ran exactly
 *   the planned scripts, is kept as that state's cache instead of being dropped;
 * - shadows beyond the plans are the engine's usual fresh ones.
 */
export function cachedShadows(db: Db, config: pg.ClientConfig, plans: ShadowPlan[], ready: Set<string>): ShadowSession {
  const session: ShadowSession = { db, faults: [], served: 0, captured: 0, reads: new Map(), settled: Promise.resolve() };
  const queue = [...plans];
  const capturing = new Set<string>();
  // A cached state cannot change (read-only), so the engine's describing queries on it give the same rows every
  // time: `new` describes the same state three times, and is answered once. Answers are frozen and shared: a copy
  // per use (structuredClone) cost 0.2–0.5 s of `new` on 1,000 migrations.
  const answers = new Map<string, Promise<SqlResultSet>>();
  // The queries the engine read a cached state with last time are sent now, all at once: the engine sends them one
  // after another, once it has parsed schema.prisma and skipped the replay, and waited on them (~0.3 s on 1,000
  // migrations, most of it PostgreSQL's information_schema.columns).
  session.settled = readAhead(config, plans.filter((p) => ready.has(p.key)), answers);
  const fault = (why: string) => {
    session.faults.push(why);
    return new Error(`Godwit's shadow cache cannot serve this replay: ${why}`);
  };
  const wrapFactory = (factory: SchemaEngineAdapterFactory): SchemaEngineAdapterFactory => {
    const cleanups = new Set<() => Promise<void>>();
    const connectToShadowDb = factory.connectToShadowDb.bind(factory);
    const close = factory.close?.bind(factory);
    factory.connectToShadowDb = async () => {
      const plan = queue.shift();
      if (plan && ready.has(plan.key)) {
        session.served++;
        return readCached(config, plan, fault, cleanups, answers, session.reads);
      }
      if (plan && !capturing.has(plan.key)) {
        capturing.add(plan.key);
        return capture(config, plan, cleanups, () => {
          ready.add(plan.key);
          session.captured++;
        });
      }
      return connectToShadowDb();
    };
    factory.close = async () => {
      await Promise.all([...cleanups].map((c) => c().catch(() => undefined)));
      cleanups.clear();
      await close?.();
    };
    return factory;
  };
  session.db = withWrappedEngineAdapter(db, wrapFactory);
  return session;
}

async function adapterOn(pool: pg.Pool): Promise<SqlDriverAdapter> {
  pool.on('error', () => undefined);
  const { PrismaPg } = await import('@prisma/adapter-pg');
  return withCharacterColumns(await new PrismaPg(pool, { onPoolError: () => undefined, onConnectionError: () => undefined }).connect());
}

/** Frozen through: whoever reads a shared answer cannot change what the next reader gets (strict code throws). */
function deepFreeze<T>(value: T): T {
  // Byte arrays cannot be frozen; no describing query returns one, and one would only be shared unfrozen.
  if (value && typeof value === 'object' && !ArrayBuffer.isView(value) && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** The key an answer is shared under: the database, the query's text and its arguments. */
function answerKey(database: string, query: SqlQuery): string {
  return `${database}\n${query.sql}\n${JSON.stringify(query.args, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))}`;
}

/** Answers asked for before the engine asked: one that failed is asked again by the engine, whose failure counts. */
const sentAhead = new WeakSet<Promise<SqlResultSet>>();

/** A read-only session on a cached state (the database is set so too). */
const cachedPool = (config: pg.ClientConfig, database: string) => shadowPool({ ...config, database, options: '-c default_transaction_read_only=on' });

/**
 * Sends each cached state's remembered queries (`reads`) at once and keeps their answers under the keys the engine's
 * own queries will look for. A failed one is not an answer: the engine's query then goes to the database, and a
 * failure there is the session's fault as before. Resolves when all have settled and the connections are closed.
 */
async function readAhead(config: pg.ClientConfig, plans: ShadowPlan[], answers: Map<string, Promise<SqlResultSet>>): Promise<void> {
  const sent = new Set<string>();
  await Promise.all(plans.map(async (plan) => {
    if (!plan.reads?.length || sent.has(plan.database)) return;
    sent.add(plan.database);
    const pool = cachedPool(config, plan.database);
    try {
      const adapter = await adapterOn(pool);
      await Promise.allSettled(plan.reads.map((query) => {
        const key = answerKey(plan.database, query);
        if (answers.has(key)) return undefined;
        const answer = adapter.queryRaw(query).then(deepFreeze);
        sentAhead.add(answer);
        answers.set(key, answer);
        return answer.catch((err: unknown) => {
          if (answers.get(key) === answer) answers.delete(key);
          throw err;
        });
      }));
    } catch {
      // Nothing sent ahead: the engine asks as it always did.
    } finally {
      await endPool(pool);
    }
  }));
}

/** A cached state, read-only, with the engine's replay of what it holds skipped. */
async function readCached(config: pg.ClientConfig, plan: ShadowPlan, fault: (why: string) => Error, cleanups: Set<() => Promise<void>>, answers: Map<string, Promise<SqlResultSet>>, reads: Map<string, Map<string, SqlQuery>>): Promise<SqlDriverAdapter> {
  const pool = cachedPool(config, plan.database);
  const end = () => endPool(pool);
  cleanups.add(end);
  const adapter = await adapterOn(pool);
  let replayed = 0;
  /** True when `sql` is the next script the cache holds: the engine's replay of it is skipped. */
  const skip = (sql: string) => {
    if (replayed >= plan.scripts.length || sql !== plan.scripts[replayed]) return false;
    replayed++;
    return true;
  };
  const noted = (err: unknown) => {
    fault(`a query on the cached shadow failed: ${(err as Error).message}`);
    return err;
  };
  adapter.executeScript = async (script) => {
    if (!skip(script)) throw fault(`the engine ran a script the cache does not hold (after ${replayed} of ${plan.scripts.length})`);
  };
  const queryRaw = adapter.queryRaw.bind(adapter);
  const executeRaw = adapter.executeRaw.bind(adapter);
  let seen = reads.get(plan.database);
  if (!seen) reads.set(plan.database, (seen = new Map()));
  adapter.queryRaw = async (query) => {
    const key = answerKey(plan.database, query);
    if (!seen.has(key)) seen.set(key, { sql: query.sql, args: [...query.args], argTypes: [...query.argTypes] });
    let answer = answers.get(key);
    if (answer && sentAhead.has(answer) && !(await answer.then(() => true, () => false))) answer = answers.get(key) === answer ? undefined : answers.get(key);
    if (!answer) answers.set(key, (answer = queryRaw(query).then(deepFreeze)));
    try {
      return await answer;
    } catch (err) {
      if (answers.get(key) === answer) answers.delete(key);
      throw noted(err);
    }
  };
  // The engine sends the shadow-database init script as one executeRaw, before the migrations.
  adapter.executeRaw = async (query) => {
    if (!query.args.length && skip(query.sql)) return 0;
    try {
      return await executeRaw(query);
    } catch (err) {
      throw noted(err);
    }
  };
  adapter.startTransaction = () => Promise.reject(fault('the engine opened a transaction on a cached shadow'));
  adapter.dispose = async () => {
    if (replayed !== plan.scripts.length) fault(`the engine read a cached shadow after ${replayed} of its ${plan.scripts.length} scripts`);
    cleanups.delete(end);
    await end();
  };
  return markFinalState(adapter);
}

/**
 * The engine's usual fresh shadow (scripts sent whole, as the stock factory sends them), kept as the cache of the
 * planned state when the engine ran exactly the planned scripts and nothing else that writes; dropped otherwise.
 */
async function capture(config: pg.ClientConfig, plan: ShadowPlan, cleanups: Set<() => Promise<void>>, kept: () => void): Promise<SqlDriverAdapter> {
  const name = `${SHADOW_PREFIX}${process.pid}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client(config);
  admin.on('error', () => undefined);
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } catch (err) {
    await admin.end().catch(() => undefined);
    throw toAdapterError(err);
  }
  const pool = shadowPool({ ...config, database: name });
  let done = false;
  const finish = async (keep: boolean) => {
    if (done) return;
    done = true;
    cleanups.delete(abandon);
    await endPool(pool);
    try {
      if (keep && (await keepAsCache(admin, name, plan.key, plan.scripts.length))) kept();
      else await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await admin.end().catch(() => undefined);
    }
  };
  const abandon = () => finish(false);
  cleanups.add(abandon);
  let adapter: SqlDriverAdapter;
  try {
    adapter = await adapterOn(pool);
  } catch (err) {
    await abandon();
    throw err;
  }
  let step = 0;
  let exact = true;
  const follow = (sql: string) => {
    if (exact && step < plan.scripts.length && sql === plan.scripts[step]) step++;
    else exact = false;
  };
  adapter.executeScript = async (script) => {
    follow(script);
    try {
      await sendOnOneClient(pool, script);
    } catch (err) {
      exact = false;
      throw toAdapterError(err);
    }
  };
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query) => {
    if (query.args.length) exact = false;
    else follow(query.sql);
    try {
      return await executeRaw(query);
    } catch (err) {
      exact = false;
      throw err;
    }
  };
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = (isolation) => {
    exact = false;
    return startTransaction(isolation);
  };
  adapter.dispose = () => finish(exact && step === plan.scripts.length).catch(() => undefined);
  return adapter;
}

