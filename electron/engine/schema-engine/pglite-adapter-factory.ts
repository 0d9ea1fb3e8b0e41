import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';
import { toAdapterError } from './pg-adapter-factory.ts';
import { sendAsUpDoes } from '../sql/send-script.ts';

/**
 * Cure for the PGlite adapter's `executeScript`, which neither awaits the script nor reports its error (a failing
 * migration was recorded as applied). Ours awaits it and re-throws what PostgreSQL said.
 */
function awaitScripts(adapter: SqlDriverAdapter, db: PGlite): SqlDriverAdapter {
  adapter.executeScript = async (script: string) => {
    try {
      await sendAsUpDoes(script, (sql) => db.exec(sql));
    } catch (err) {
      throw toAdapterError(err);
    }
  };
  return adapter;
}

/**
 * The schema engine's adapter factory for an embedded PGlite database; the shadow is a fresh in-memory PGlite.
 * `close` ends what an engine that failed mid-call left open: a transaction on the shared database would hold
 * PGlite's transaction lock (every later call on the environment would wait forever), a shadow would stay in memory.
 */
export class PgliteSchemaEngineAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres' as const;
  readonly adapterName = 'pglite-prisma-adapter';

  private readonly openTransactions = new Set<Transaction>();
  private readonly shadows = new Set<PGlite>();

  /** Shadows being started (~4 s each): an engine that failed may leave one in flight when the session ends. */
  private readonly pending = new Set<Promise<unknown>>();
  private closed = false;

  constructor(private readonly db: PGlite) {}

  async connect(): Promise<SqlDriverAdapter> {
    return this.tracked(awaitScripts(await new PrismaPGlite(this.db).connect(), this.db));
  }

  connectToShadowDb(): Promise<SqlDriverAdapter> {
    if (this.closed) return Promise.reject(new Error('The schema engine session has ended.'));
    const work = this.makeShadow();
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work)).catch(() => undefined);
    return work;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.pending]);
    await Promise.all([...this.openTransactions].map((tx) => tx.rollback().catch(() => undefined)));
    this.openTransactions.clear();
    await Promise.all([...this.shadows].map((s) => s.close().catch(() => undefined)));
    this.shadows.clear();
  }

  private async makeShadow(): Promise<SqlDriverAdapter> {
    const shadow = await PGlite.create();
    this.shadows.add(shadow);
    const adapter = this.tracked(awaitScripts(await new PrismaPGlite(shadow).connect(), shadow));
    adapter.dispose = async () => {
      this.shadows.delete(shadow);
      await shadow.close();
    };
    return adapter;
  }

  private tracked(adapter: SqlDriverAdapter): SqlDriverAdapter {
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => {
      const tx = await startTransaction(isolationLevel);
      this.openTransactions.add(tx);
      for (const end of ['commit', 'rollback'] as const) {
        const finish = tx[end].bind(tx);
        tx[end] = () => {
          this.openTransactions.delete(tx);
          return finish();
        };
      }
      return tx;
    };
    return adapter;
  }
}
