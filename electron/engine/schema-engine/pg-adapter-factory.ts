import { randomBytes } from 'node:crypto';
import pg from 'pg';
import {
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import { CharAsTextClient, withCharacterColumns } from './pg-char-columns.ts';
import { sendAsUpDoes } from '../sql/send-script.ts';

/** Shadow databases Godwit creates are named `godwit_shadow_<pid>_<random>`. */
export const SHADOW_PREFIX = 'godwit_shadow_';

/** Re-throws a pg error the way the schema engine expects errors from an adapter. */
export function toAdapterError(err: unknown): Error {
  const e = err as { code?: string; severity?: string; message?: string; detail?: string; column?: string; hint?: string };
  if (typeof e.code === 'string' && typeof e.severity === 'string') {
    return new DriverAdapterError({
      kind: 'postgres',
      code: e.code,
      severity: e.severity,
      message: e.message ?? '',
      detail: e.detail,
      column: e.column,
      hint: e.hint,
    });
  }
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * Cure for adapter defect 4: the stock `executeScript` splits on every ';' (breaking DO blocks, function bodies and
 * string literals, and leaving earlier pieces applied). We send the script whole, as psql and the native engine do.
 */
function sendScriptsWhole(adapter: SqlDriverAdapter, pool: pg.Pool): SqlDriverAdapter {
  adapter.executeScript = async (script: string) => {
    try {
      await sendOnOneClient(pool, script);
    } catch (err) {
      throw toAdapterError(err);
    }
  };
  return adapter;
}

/** A script sent as `up` sends it (sql/send-script.ts), its statements, when split, on one client of the pool. */
export async function sendOnOneClient(pool: pg.Pool, script: string): Promise<void> {
  const client = await pool.connect();
  try {
    await sendAsUpDoes(script, (sql) => client.query(sql));
  } finally {
    client.release();
  }
}

/** Clients the engine checked out and has not released; an engine that failed mid-call never will. */
const checkedOut = new WeakMap<pg.Pool, Set<pg.PoolClient>>();

function trackCheckedOut(pool: pg.Pool): void {
  const held = new Set<pg.PoolClient>();
  checkedOut.set(pool, held);
  pool.on('acquire', (client) => held.add(client));
  pool.on('release', (_err, client) => held.delete(client));
}

/** A pool as the engine's shadow sessions use it: CHAR columns read as text, four clients, checked-out ones tracked. */
export function shadowPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool({ ...config, Client: CharAsTextClient, max: 4 });
  trackCheckedOut(pool);
  return pool;
}

/** Ends a pool even when clients are still checked out (`pool.end()` would wait for them forever). */
export async function endPool(pool: pg.Pool): Promise<void> {
  for (const client of checkedOut.get(pool) ?? []) {
    try {
      client.release(true);
    } catch {
      // already released
    }
  }
  await pool.end().catch(() => undefined);
}

async function connectPool(pools: Set<pg.Pool>, config: pg.PoolConfig, onDispose?: () => Promise<void>): Promise<SqlDriverAdapter> {
  const pool = shadowPool(config);
  pools.add(pool);
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const adapter = await new PrismaPg(pool, {
    disposeExternalPool: true,
    onPoolError: () => undefined,
    onConnectionError: () => undefined,
  }).connect();
  sendScriptsWhole(withCharacterColumns(adapter), pool);
  if (onDispose) {
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      pools.delete(pool);
      await onDispose();
    };
  }
  return adapter;
}

/** Drops everything in a configured shadow database so a replay starts from empty, as Prisma does. */
async function resetShadow(config: pg.ClientConfig): Promise<void> {
  const client = new pg.Client(config);
  await client.connect();
  try {
    await client.query(`DO $$
      DECLARE s record;
      BEGIN
        FOR s IN SELECT nspname FROM pg_namespace
                 WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' LOOP
          EXECUTE format('DROP SCHEMA %I CASCADE', s.nspname);
        END LOOP;
        CREATE SCHEMA public;
      END $$;`);
  } finally {
    await client.end();
  }
}

/**
 * The migration-aware adapter factory Prisma's schema engine runs on for a PostgreSQL server. The shadow database is
 * either the configured one (reset first) or a fresh `godwit_shadow_<hex>` database that is dropped after its pool is
 * closed (cures defects 2 and 3: discrete settings, and end-then-drop with FORCE).
 */
export class PgSchemaEngineAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres' as const;
  readonly adapterName = '@prisma/adapter-pg';

  /** Pools still open: the engine does not always dispose its main adapter, and an idle pool keeps Node alive. */
  private readonly pools = new Set<pg.Pool>();
  /** Shadow databases whose adapter was not disposed yet (the engine skips it on some error paths). */
  private readonly shadows = new Map<string, () => Promise<void>>();

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly shadowConfig?: pg.ClientConfig,
  ) {}

  /** Connections and shadows being made: an engine that failed may leave them in flight when the session ends. */
  private readonly pending = new Set<Promise<unknown>>();
  private closed = false;

  connect(): Promise<SqlDriverAdapter> {
    return this.track(() => connectPool(this.pools, this.config));
  }

  connectToShadowDb(): Promise<SqlDriverAdapter> {
    return this.track(() => this.makeShadow());
  }

  /**
   * Ends every pool this factory opened and drops any shadow left, once what was in flight has settled; called when
   * the engine session ends.
   */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.pending]);
    await Promise.all([...this.pools].map(endPool));
    this.pools.clear();
    await Promise.all([...this.shadows.values()].map((drop) => drop().catch(() => undefined)));
    this.shadows.clear();
  }

  private track<T>(start: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('The schema engine session has ended.'));
    const work = start();
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work)).catch(() => undefined);
    return work;
  }

  private async makeShadow(): Promise<SqlDriverAdapter> {
    if (this.shadowConfig) {
      await resetShadow(this.shadowConfig);
      return connectPool(this.pools, this.shadowConfig);
    }
    // The pid tells whose shadow it is, should one ever be left behind.
    const name = `${SHADOW_PREFIX}${process.pid}_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client(this.config);
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${name}"`);
    } catch (err) {
      await admin.end();
      throw toAdapterError(err);
    }
    const drop = async () => {
      this.shadows.delete(name);
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    };
    this.shadows.set(name, drop);
    return connectPool(this.pools, { ...this.config, database: name }, drop);
  }
}
