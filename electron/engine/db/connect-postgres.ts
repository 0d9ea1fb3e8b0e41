import pg from 'pg';
import { parse as parseConnectionString } from 'pg-connection-string';
import { GodwitError } from '../util/errors.ts';
import { displayUrl } from '../util/redact.ts';
import type { Db } from './db.ts';
import { PgSchemaEngineAdapterFactory } from '../schema-engine/pg-adapter-factory.ts';

/** How long to wait for a server before giving up; an unreachable host must not hang a command. */
export const CONNECT_TIMEOUT_MS = 10_000;

export interface PostgresTarget {
  url: string;
  shadowDatabaseUrl?: string | undefined;
}

/** Discrete connection settings; discrete so a shadow database can replace `database` (adapter defect 2). */
export function clientConfigFromUrl(url: string): pg.ClientConfig {
  let parsed: ReturnType<typeof parseConnectionString>;
  try {
    const u = new URL(url);
    if (u.protocol !== 'postgresql:' && u.protocol !== 'postgres:') throw new Error('scheme');
    parsed = parseConnectionString(url);
  } catch {
    throw new GodwitError(
      'bad-url',
      `Cannot parse the database URL ${displayUrl(url)}.`,
      'Expected postgresql://user:password@host:port/database.',
    );
  }
  const { host, port, user, password, database, ssl, options, application_name } = parsed;
  // Prisma's ?schema= picks the schema its tables live in; the search path does the same for every query.
  const schema = new URL(url).searchParams.get('schema');
  const searchPath = schema ? `-c search_path="${schema.replace(/"/g, '""')}"` : undefined;
  return {
    host: host ?? undefined,
    port: port ? Number(port) : 5432,
    user: user ?? undefined,
    password: password ?? undefined,
    database: database ?? undefined,
    ssl: ssl as pg.ClientConfig['ssl'],
    options: [options, searchPath].filter(Boolean).join(' ') || undefined,
    application_name: application_name ?? 'godwit',
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  };
}

/** Turns a connection failure into one sentence that names the server (never its password). */
export function connectionError(err: unknown, config: pg.ClientConfig): GodwitError {
  const e = err as { code?: string; message?: string };
  const where = `${config.host ?? 'localhost'}:${config.port ?? 5432}`;
  const db = config.database ?? config.user ?? '';
  switch (e.code) {
    case '28P01':
      return new GodwitError('auth-failed', `Password authentication failed for user "${config.user}" on ${where}.`);
    case '28000':
      return new GodwitError('auth-failed', `The server ${where} refused the connection: ${e.message}.`);
    case '3D000':
      return new GodwitError('no-database', `Database "${db}" does not exist on ${where}.`);
    case 'ECONNREFUSED':
      return new GodwitError('unreachable', `Cannot reach PostgreSQL at ${where}: connection refused.`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new GodwitError('unreachable', `Cannot resolve the host "${config.host}".`);
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new GodwitError('unreachable', `Cannot reach PostgreSQL at ${where} (${e.code}).`);
    default:
      if (/terminated unexpectedly|ECONNRESET|socket hang up/i.test(`${e.code ?? ''} ${e.message ?? ''}`)) {
        return new GodwitError('unreachable', `Cannot reach PostgreSQL at ${where}: the connection was closed before the server answered.`);
      }
      if (/timeout/i.test(e.message ?? '')) {
        return new GodwitError(
          'unreachable',
          `Cannot reach PostgreSQL at ${where}: no answer within ${CONNECT_TIMEOUT_MS / 1000} s.`,
        );
      }
      return new GodwitError('connect-failed', `Cannot connect to ${where}: ${e.message ?? String(err)}`);
  }
}

/** Opens one session on a PostgreSQL server. */
export async function connectPostgres(target: PostgresTarget): Promise<Db> {
  const config = clientConfigFromUrl(target.url);
  const client = new pg.Client(config);
  client.on('error', () => {
    // A dropped connection surfaces on the next query; without a listener it would crash the process.
  });
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw connectionError(err, config);
  }
  const shadowConfig = target.shadowDatabaseUrl ? clientConfigFromUrl(target.shadowDatabaseUrl) : undefined;
  return {
    kind: 'postgres',
    display: displayUrl(target.url),
    async query<R extends object>(sql: string, params?: unknown[]) {
      const res = await client.query(sql, params);
      return res.rows as R[];
    },
    async exec(script: string) {
      await client.query(script);
    },
    async queryBatch(sql: string) {
      const res = (await client.query(sql)) as unknown as pg.QueryResult | pg.QueryResult[];
      return Array.isArray(res) ? res.map((r) => r.rows) : [res.rows];
    },
    schemaEngineAdapter() {
      return new PgSchemaEngineAdapterFactory(config, shadowConfig);
    },
    async close() {
      await client.end().catch(() => undefined);
    },
  };
}
