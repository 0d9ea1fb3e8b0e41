import { mkdir } from 'node:fs/promises';
import type { PGlite } from '@electric-sql/pglite';
import { GodwitError } from '../util/errors.ts';
import { lockEmbedded } from './embedded-lock.ts';
import { beforeWebAssembly } from '../util/wasm-tiers.ts';
import type { Db } from './db.ts';

/** Opens (creating when new) an embedded PGlite database kept in `dataDir`; `memory://` keeps it in memory. */
export async function connectPglite(dataDir: string, display: string): Promise<Db> {
  if (!dataDir.startsWith('memory://')) await mkdir(dataDir, { recursive: true });
  // Loaded on first use: PGlite's module costs ~150 ms, which commands on a server should not pay.
  beforeWebAssembly();
  const [{ PGlite }, { PgliteSchemaEngineAdapterFactory }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('../schema-engine/pglite-adapter-factory.ts'),
  ]);
  const release = dataDir.startsWith('memory://') ? () => undefined : lockEmbedded(dataDir, display);
  let db: PGlite;
  try {
    db = await PGlite.create({ dataDir });
  } catch (err) {
    release();
    throw new GodwitError(
      'embedded-open-failed',
      `Cannot open the embedded database ${display}: ${(err as Error).message}.`,
      'Is another Godwit process using it?',
    );
  }
  return {
    kind: 'pglite',
    display,
    async query<R extends object>(sql: string, params?: unknown[]) {
      const res = await db.query<R>(sql, params);
      return res.rows;
    },
    async exec(script: string) {
      await db.exec(script);
    },
    async queryBatch(sql: string) {
      const results = await db.exec(sql);
      return results.map((r) => r.rows as Record<string, unknown>[]);
    },
    schemaEngineAdapter() {
      return new PgliteSchemaEngineAdapterFactory(db);
    },
    async close() {
      try {
        if (!db.closed) await db.close();
      } finally {
        release();
      }
    },
  };
}
