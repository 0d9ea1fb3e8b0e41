import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { toAdapterError } from './pg-adapter-factory.ts';

/**
 * Cure for the PGlite adapter's `executeScript`, which neither awaits the script nor reports its error (a failing
 * migration was recorded as applied). Ours awaits it and re-throws what PostgreSQL said.
 */
function awaitScripts(adapter: SqlDriverAdapter, db: PGlite): SqlDriverAdapter {
  adapter.executeScript = async (script: string) => {
    try {
      await db.exec(script);
    } catch (err) {
      throw toAdapterError(err);
    }
  };
  return adapter;
}

/** The schema engine's adapter factory for an embedded PGlite database; the shadow is a fresh in-memory PGlite. */
export class PgliteSchemaEngineAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres' as const;
  readonly adapterName = 'pglite-prisma-adapter';

  constructor(private readonly db: PGlite) {}

  async connect(): Promise<SqlDriverAdapter> {
    return awaitScripts(await new PrismaPGlite(this.db).connect(), this.db);
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const shadow = await PGlite.create();
    const adapter = awaitScripts(await new PrismaPGlite(shadow).connect(), shadow);
    adapter.dispose = () => shadow.close();
    return adapter;
  }
}
