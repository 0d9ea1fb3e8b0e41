import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';

/** An adapter factory that can release everything it opened once the engine is done. */
export interface SchemaEngineAdapterFactory extends SqlMigrationAwareDriverAdapterFactory {
  close?(): Promise<void>;
}

/** A PostgreSQL error as the server reported it, with the fields Godwit shows to users. */
export interface SqlErrorInfo {
  message: string;
  code?: string | undefined;
  detail?: string | undefined;
  hint?: string | undefined;
  /** 1-based character offset in the statement, when the server gave one. */
  position?: number | undefined;
}

/**
 * One database session. Everything that must happen under Prisma's advisory lock (status re-read, apply, rollback)
 * runs on this single session, so the lock and the work are on the same connection.
 */
export interface Db {
  readonly kind: 'postgres' | 'pglite';
  /** Where this is, safe to show: no password. */
  readonly display: string;
  /** A parameterised query (extended protocol); rows as objects. */
  query<R extends object = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** A script sent whole (simple protocol), as psql and Prisma's native engine send it. */
  exec(script: string): Promise<void>;
  /** Several read queries in one round trip (simple protocol, no parameters): one row list per statement. */
  queryBatch(sql: string): Promise<Record<string, unknown>[][]>;
  /** An adapter factory for Prisma's schema engine, talking to this same database (with its own shadow). */
  schemaEngineAdapter(): SchemaEngineAdapterFactory;
  close(options?: CloseOptions): Promise<void>;
}

export interface CloseOptions {
  /**
   * false: say goodbye to the server and return without waiting for it to close its end (~4 ms, its backend exiting),
   * as libpq's PQfinish does; the socket no longer keeps the process alive. For a command's last use of a session
   * only: until the server has closed, the session still counts (DROP DATABASE, CREATE DATABASE … TEMPLATE).
   */
  wait?: boolean;
}

/** `db` whose schema engine adapter factories pass through `wrap` (to watch or serve the engine's shadows). */
export function withWrappedEngineAdapter(db: Db, wrap: (factory: SchemaEngineAdapterFactory) => SchemaEngineAdapterFactory): Db {
  return {
    get kind() { return db.kind; },
    get display() { return db.display; },
    query: (sql, params) => db.query(sql, params),
    exec: (script) => db.exec(script),
    queryBatch: (sql) => db.queryBatch(sql),
    schemaEngineAdapter: () => wrap(db.schemaEngineAdapter()),
    close: (options) => db.close(options),
  };
}

/** Extracts the useful fields of a pg or PGlite error. */
export function sqlErrorInfo(err: unknown): SqlErrorInfo {
  const e = err as { message?: string; code?: string; detail?: string; hint?: string; position?: string | number };
  const position = e.position === undefined ? undefined : Number(e.position);
  return {
    message: e.message ?? String(err),
    code: e.code,
    detail: e.detail,
    hint: e.hint,
    position: Number.isFinite(position) ? position : undefined,
  };
}

/** True when the value looks like an error PostgreSQL sent (it carries a SQLSTATE). */
export function isSqlError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
}
