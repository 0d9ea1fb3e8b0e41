import pg from 'pg';
import type { ConnectionHopDto, ConnectionHopsDto, EnvironmentReachDto } from '../../shared/dto.ts';
import type { EnvironmentConfig } from '../project/environment-config.ts';
import { describeError, GodwitError } from '../util/errors.ts';
import { redactSecrets } from '../util/redact.ts';
import { clientConfigFromUrl, connectionError, reachThrough, type PostgresTarget } from './connect-postgres.ts';
import { isLocalHost, tlsFromParams } from './libpq-tls.ts';
import { acquireTunnel, type Tunnel } from './ssh-tunnel.ts';

/** An environment's connection path for the DTO (no secrets); undefined for embedded databases and unresolved URLs. */
export function reachOf(cfg: EnvironmentConfig, resolvedUrl: string | undefined, passwordStored: boolean): EnvironmentReachDto | undefined {
  if (cfg.url.startsWith('embedded:') || !resolvedUrl) return undefined;
  let tls: { mode: string; encrypted: boolean };
  let host: string | undefined;
  let hasPassword = false;
  try {
    const u = new URL(resolvedUrl);
    tls = tlsFromParams(u.searchParams);
    const c = clientConfigFromUrl(resolvedUrl);
    host = c.host;
    hasPassword = typeof c.password === 'string' && c.password !== '';
  } catch {
    return undefined;
  }
  const s = cfg.ssh;
  return {
    ssh: s ? { host: s.host, port: s.port ?? 22, user: s.user, identityFile: s.identityFile, agent: Boolean(s.agent), knownHostsFile: s.knownHostsFile, passphraseFrom: s.passphrase } : null,
    sslmode: tls.mode,
    encrypted: tls.encrypted,
    suggestVerifyFull: !isLocalHost(host) && tls.mode !== 'verify-full',
    passwordSource: hasPassword ? 'url' : passwordStored ? 'stored' : cfg.passwordCommand ? 'command' : 'pgpass-or-none',
    ...(cfg.passwordCommand ? { passwordCommand: cfg.passwordCommand } : {}),
  };
}

const TLS_FAILURE = /certificate|self[- ]signed|altname|SSL|TLS|handshake|does not match/i;

/**
 * "Test connection", one hop at a time: the SSH tunnel (host key, key), then TLS and authentication on one PostgreSQL
 * connection (a certificate failure is TLS's; a password failure is auth's, after TLS succeeded).
 */
export async function testConnectionHops(target: PostgresTarget): Promise<ConnectionHopsDto> {
  const hops: ConnectionHopDto[] = [];
  const finish = (extra: Partial<ConnectionHopsDto> = {}): ConnectionHopsDto => {
    for (const hop of ['ssh', 'tls', 'auth'] as const) if (!hops.some((h) => h.hop === hop)) hops.push({ hop, ok: null, message: 'Not tried.' });
    hops.sort((a, b) => ['ssh', 'tls', 'auth'].indexOf(a.hop) - ['ssh', 'tls', 'auth'].indexOf(b.hop));
    return { ok: hops.every((h) => h.ok !== false) && hops.some((h) => h.hop === 'auth' && h.ok), hops: hops.map((h) => ({ ...h, message: redactSecrets(h.message) })), ...extra };
  };
  let config: pg.ClientConfig;
  let mode: string;
  try {
    config = clientConfigFromUrl(target.url);
    mode = tlsFromParams(new URL(target.url).searchParams).mode;
  } catch (err) {
    hops.push({ hop: 'tls', ok: false, message: describeError(err) });
    return finish();
  }
  let tunnel: Tunnel | undefined;
  if (target.ssh) {
    try {
      tunnel = await acquireTunnel(target.ssh, { environment: target.name ?? 'url', acceptHostKey: target.acceptHostKey, passphrase: target.sshPassphrase });
      hops.push({ hop: 'ssh', ok: true, message: `Tunnel open through ${tunnel.where}; host key verified.` });
    } catch (err) {
      hops.push({ hop: 'ssh', ok: false, message: describeError(err) });
      const hostKey = (err as { hostKey?: ConnectionHopsDto['hostKey'] }).hostKey;
      return finish(hostKey ? { hostKey } : {});
    }
  } else {
    hops.push({ hop: 'ssh', ok: null, message: 'No SSH tunnel configured: direct connection.' });
  }
  const client = new pg.Client(reachThrough(config, target, tunnel));
  client.on('error', () => undefined);
  try {
    await client.connect();
    const [row] = (await client.query<{ ssl: boolean | null; version: string | null; v: string }>(
      "SELECT s.ssl, s.version, current_setting('server_version') AS v FROM pg_stat_ssl s WHERE s.pid = pg_backend_pid()",
    )).rows;
    hops.push(row?.ssl
      ? { hop: 'tls', ok: true, message: `Encrypted (${row.version ?? 'TLS'}, sslmode=${mode}${mode === 'verify-full' ? ': certificate and host name verified' : mode === 'verify-ca' ? ': certificate verified, host name not checked' : ': certificate not verified'}).` }
      : { hop: 'tls', ok: null, message: `Not encrypted (sslmode=${mode}).` });
    hops.push({ hop: 'auth', ok: true, message: `Authenticated as ${config.user ?? 'the default user'}; PostgreSQL ${row?.v ?? ''}.` });
  } catch (err) {
    const e = err as { code?: string; message?: string };
    const authFailure = err instanceof GodwitError || e.code === '28P01' || e.code === '28000' || /password/i.test(e.message ?? '');
    if (!authFailure && TLS_FAILURE.test(`${e.code ?? ''} ${e.message ?? ''}`)) {
      hops.push({ hop: 'tls', ok: false, message: `TLS failed (sslmode=${mode}): ${e.message ?? String(err)}` });
    } else {
      if (authFailure && config.ssl) hops.push({ hop: 'tls', ok: true, message: `Encrypted (sslmode=${mode}).` });
      hops.push({ hop: 'auth', ok: false, message: describeError(connectionError(err, config)) });
    }
  } finally {
    await client.end().catch(() => undefined);
    await tunnel?.release();
  }
  return finish();
}
