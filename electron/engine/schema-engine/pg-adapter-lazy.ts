import type pg from 'pg';
import type { SqlDriverAdapter } from '@prisma/driver-adapter-utils';
import type { SchemaEngineAdapterFactory } from '../db/db.ts';

/**
 * A PostgreSQL session's adapter factory for Prisma's schema engine (pg-adapter-factory.ts), whose code, with Prisma's
 * adapter utilities, loads when the engine first connects: most commands (status, tables, describe) never start it.
 */
export class LazyPgAdapterFactory implements SchemaEngineAdapterFactory {
  readonly provider = 'postgres' as const;
  readonly adapterName = '@prisma/adapter-pg';
  private real: Promise<SchemaEngineAdapterFactory> | undefined;

  /** The session's discrete settings (adapter defect 2): the shadow cache reaches its databases with them too. */
  constructor(readonly config: pg.ClientConfig, readonly shadowConfig?: pg.ClientConfig) {}

  private load(): Promise<SchemaEngineAdapterFactory> {
    return (this.real ??= import('./pg-adapter-factory.ts').then((m) => new m.PgSchemaEngineAdapterFactory(this.config, this.shadowConfig)));
  }

  async connect(): Promise<SqlDriverAdapter> {
    return (await this.load()).connect();
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    return (await this.load()).connectToShadowDb();
  }

  async close(): Promise<void> {
    if (this.real) await (await this.real).close?.();
  }
}
