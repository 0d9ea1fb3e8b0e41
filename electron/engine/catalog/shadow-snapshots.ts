import type { SqlDriverAdapter } from '@prisma/driver-adapter-utils';
import { withWrappedEngineAdapter, type Db, type SchemaEngineAdapterFactory } from '../db/db.ts';
import { readCatalogWith, type CatalogQueryRunner } from './read-catalog.ts';
import type { CatalogSnapshot, SnapshotOptions } from './types.ts';
import { holdsFinalState } from '../shadow-cache/cached-state.ts';

/** Runs catalog queries through a Prisma driver adapter: the only handle on a shadow database the engine made. */
function adapterRunner(adapter: SqlDriverAdapter): CatalogQueryRunner {
  return async (sqls) => {
    const out: Record<string, unknown>[][] = [];
    for (const sql of sqls) {
      const res = await adapter.queryRaw({ sql, args: [], argTypes: [] });
      out.push(res.rows.map((row) => Object.fromEntries(res.columnNames.map((c, i) => [c, row[i]]))));
    }
    return out;
  };
}

/**
 * The database `db`, except that every shadow database Prisma's engine builds through it (by replaying migrations) is
 * snapshotted just before the engine disposes of it. Drift and down-sql so read the replayed schema without replaying
 * the history a second time. Snapshots arrive in the order the engine replays (for `diff`: `from`, then `to`).
 */
export function snapshottingShadows(db: Db, opts: SnapshotOptions = {}): { db: Db; snapshots: Promise<CatalogSnapshot>[]; settle(): void } {
  const snapshots: Promise<CatalogSnapshot>[] = [];
  const unsettled = new Set<(err: Error) => void>();
  const wrapFactory = (factory: SchemaEngineAdapterFactory): SchemaEngineAdapterFactory => {
    const connectToShadowDb = factory.connectToShadowDb.bind(factory);
    factory.connectToShadowDb = async () => {
      const adapter = await connectToShadowDb();
      // The slot is taken when the shadow is made, so the order is the engine's replay order whenever it disposes.
      let resolve!: (s: CatalogSnapshot) => void;
      let reject!: (err: Error) => void;
      const slot = new Promise<CatalogSnapshot>((res, rej) => ((resolve = res), (reject = rej)));
      slot.catch(() => undefined);
      snapshots.push(slot);
      unsettled.add(reject);
      const dispose = adapter.dispose.bind(adapter);
      // A cached shadow holds the replayed schema already: read it now, while the engine describes it too.
      const early = holdsFinalState(adapter) ? readCatalogWith(adapterRunner(adapter), opts) : null;
      early?.catch(() => undefined);
      adapter.dispose = async () => {
        if (unsettled.delete(reject)) await (early ?? readCatalogWith(adapterRunner(adapter), opts)).then(resolve, reject);
        await dispose();
      };
      return adapter;
    };
    return factory;
  };
  const wrapped = withWrappedEngineAdapter(db, wrapFactory);
  const settle = () => {
    for (const reject of unsettled) reject(new Error('The schema engine did not hand back its shadow database.'));
    unsettled.clear();
  };
  return { db: wrapped, snapshots, settle };
}
