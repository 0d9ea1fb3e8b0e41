import pg from 'pg';
import { parse as parseConnectionString } from 'pg-connection-string';
import { GodwitError } from '../util/errors.ts';
import { displayUrl } from '../util/redact.ts';
import type { Db } from './db.ts';
import { LazyPgAdapterFactory } from '../schema-engine/pg-adapter-lazy.ts';
import { applyPgService } from './pg-service.ts';
import { TLS_PARAMS, tlsFromParams } from './libpq-tls.ts';
import { defaultCasWithExtra } from './extra-ca-certs.ts';
import { pgpassPassword } from './pgpass.ts';
import { runPasswordCommand } from './password-command.ts';
import type { SshSettings, Tunnel } from './ssh-tunnel.ts';

/** How long to wait for a server before giving up; an unreachable host must not hang a command. */
export const CONNECT_TIMEOUT_MS = 10_000;

export interface PostgresTarget {
  url: string;
  shadowDatabaseUrl?: string | undefined;
  /** Environment name, for messages about the tunnel and the password command. */
  name?: string | undefined;
  /** The bastion to reach the server through (engine/db/ssh-tunnel.ts). */
  ssh?: SshSettings | undefined;
  /** A shell command whose output is the password, run when each connection opens; never logged. */
  passwordCommand?: string | undefined;
  /** A host key fingerprint the user accepted (unknown hosts only). */
  acceptHostKey?: string | undefined;
  /** The SSH key's passphrase from the app's secret store. */
  sshPassphrase?: string | undefined;
}

/** Discrete connection settings; discrete so a shadow database can replace `database` (adapter defect 2). */
export function clientConfigFromUrl(url: string): pg.ClientConfig {
  let parsed: ReturnType<typeof parseConnectionString>;
  let params: URLSearchParams;
  try {
    let u = new URL(url);
    if (u.protocol !== 'postgresql:' && u.protocol !== 'postgres:') throw new Error('scheme');
    u = applyPgService(u);
    // TLS is read as libpq reads it (libpq-tls.ts); pg's parser would treat require/verify-ca as verify-full.
    params = new URLSearchParams(u.searchParams);
    for (const key of TLS_PARAMS) u.searchParams.delete(key);
    parsed = parseConnectionString(u.toString());
  } catch (err) {
    if (err instanceof GodwitError) throw err;
    throw new GodwitError(
      'bad-url',
      `Cannot parse the database URL ${displayUrl(url)}.`,
      'Expected postgresql://user:password@host:port/database.',
    );
  }
  const { host, port, user, password, database, ssl, options, application_name } = parsed;
  // Prisma's ?schema= picks the schema its tables live in; the search path does the same for every query.
  const schema = params.get('schema');
  const searchPath = schema ? `-c search_path="${schema.replace(/"/g, '""')}"` : undefined;
  return {
    host: host ?? undefined,
    port: port ? Number(port) : 5432,
    user: user ?? undefined,
    password: password ?? undefined,
    database: database ?? undefined,
    ssl: withDefaultCas(tlsFromParams(params).ssl || (ssl as pg.ClientConfig['ssl'])),
    options: [options, searchPath].filter(Boolean).join(' ') || undefined,
    application_name: application_name ?? 'godwit',
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  };
}

/**
 * A verified TLS connection that names no root certificate trusts Node's default CAs, NODE_EXTRA_CA_CERTS's included:
 * listed here, since the launcher keeps Node from loading that file at start-up (extra-ca-certs.ts).
 */
function withDefaultCas(ssl: pg.ClientConfig['ssl']): pg.ClientConfig['ssl'] {
  if (!ssl) return ssl;
  const options = ssl === true ? {} : ssl;
  if (options.ca !== undefined || options.rejectUnauthorized === false) return ssl;
  const ca = defaultCasWithExtra();
  return ca ? { ...options, ca } : ssl;
}

/** Turns a connection failure into one sentence that names the server (never its password). */
export function connectionError(err: unknown, config: pg.ClientConfig): GodwitError {
  if (err instanceof GodwitError) return err; // already one sentence (tunnel, password command)
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
  // The SSH client's code loads only for an environment reached through a bastion.
  const tunnel = target.ssh ? await (await import('./ssh-tunnel.ts')).acquireTunnel(target.ssh, { environment: target.name ?? 'url', acceptHostKey: target.acceptHostKey, passphrase: target.sshPassphrase }) : undefined;
  reachThrough(config, target, tunnel);
  const client = new pg.Client(config);
  client.on('error', () => {
    // A dropped connection surfaces on the next query; without a listener it would crash the process.
  });
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    await tunnel?.release();
    throw connectionError(err, config);
  }
  const shadowConfig = target.shadowDatabaseUrl ? reachThrough(clientConfigFromUrl(target.shadowDatabaseUrl), target, tunnel) : undefined;
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
      return new LazyPgAdapterFactory(config, shadowConfig);
    },
    async close(options) {
      // Through a tunnel the session must end before the tunnel is released: that close waits, as any other.
      if (options?.wait === false && !tunnel) {
        void client.end().catch(() => undefined);
        (client as unknown as { connection?: { stream?: { unref?(): void } } }).connection?.stream?.unref?.();
        return;
      }
      await client.end().catch(() => undefined);
      await tunnel?.release();
    },
  };
}

/**
 * Routes a connection's settings through the environment's tunnel (pg's `stream` option: host and port stay the
 * server's, so verify-full checks the real host name) and its password command (pg calls it per connection).
 */
export function reachThrough(config: pg.ClientConfig, target: PostgresTarget, tunnel: Tunnel | undefined): pg.ClientConfig {
  if (tunnel) config.stream = () => tunnel.stream();
  if (typeof config.password === 'string' && config.password !== '') return config;
  const command = target.passwordCommand;
  if (command) config.password = () => runPasswordCommand(command, target.name ?? 'url');
  else {
    // No password in the URL: PGPASSWORD, then the password file, as libpq (pg's own pgpass use prints a warning).
    const key = { host: config.host ?? 'localhost', port: config.port ?? 5432, user: config.user ?? process.env.PGUSER ?? process.env.USER ?? '' };
    config.password = (() => process.env.PGPASSWORD ?? pgpassPassword({ ...key, database: config.database ?? key.user })) as () => string;
  }
  return config;
}
