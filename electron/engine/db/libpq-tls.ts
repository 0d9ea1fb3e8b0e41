import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { GodwitError } from '../util/errors.ts';

export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** The URL parameters libpq reads for TLS; taken out of the URL before pg sees it (pg reads them differently). */
export const TLS_PARAMS = ['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'sslpassword', 'uselibpqcompat'];

/** What a connection's TLS will be: the mode and whether traffic is encrypted, verified, and against what. */
export interface TlsSettings {
  mode: SslMode;
  encrypted: boolean;
  /** Options for tls.connect (pg passes them through), or false for a plain connection. */
  ssl: false | ConnectionOptions;
}

function readTlsFile(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new GodwitError('tls-file', `Cannot read the ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
  }
}

const pgDir = () => join(homedir(), '.postgresql');

/**
 * TLS settings as libpq reads them from the URL (and PGSSLMODE/PGSSLROOTCERT/PGSSLCERT/PGSSLKEY): `require` encrypts
 * without checking the certificate unless a root certificate file exists (then it acts as verify-ca); `verify-ca`
 * checks the chain; `verify-full` also the host name. pg's own parser treats require and verify-ca as verify-full.
 * `prefer`/`allow` (libpq's default is prefer) connect without TLS here: pg cannot fall back from TLS to plain.
 */
export function tlsFromParams(params: URLSearchParams): TlsSettings {
  const get = (key: string, env: string) => params.get(key) ?? process.env[env] ?? undefined;
  const rawMode = get('sslmode', 'PGSSLMODE') ?? 'prefer';
  const mode = (rawMode === 'no-verify' ? 'require' : rawMode) as SslMode;
  if (!SSL_MODES.includes(mode)) {
    throw new GodwitError('bad-sslmode', `Unknown sslmode "${rawMode}".`, `Use one of ${SSL_MODES.join(', ')}.`);
  }
  if (mode === 'disable' || mode === 'allow' || mode === 'prefer') return { mode, encrypted: false, ssl: false };

  const options: ConnectionOptions = {};
  const rootcert = get('sslrootcert', 'PGSSLROOTCERT');
  const defaultRoot = join(pgDir(), 'root.crt');
  let verify: 'none' | 'ca' | 'full' = mode === 'verify-full' ? 'full' : mode === 'verify-ca' ? 'ca' : 'none';
  if (rootcert === 'system') {
    verify = 'full'; // libpq 16: the system's CAs are only trusted with host name checks
  } else if (rootcert || verify !== 'none') {
    const file = rootcert ?? defaultRoot;
    if (!existsSync(file)) {
      if (verify !== 'none') {
        throw new GodwitError('tls-file', `sslmode=${mode} needs a root certificate, and ${file} does not exist.`, 'Set sslrootcert=<file> in the URL (or sslrootcert=system for the system\'s CAs).');
      }
    } else {
      options.ca = readTlsFile(file, 'root certificate');
      if (verify === 'none') verify = 'ca'; // libpq: require with a root certificate verifies as verify-ca
    }
  }
  options.rejectUnauthorized = verify !== 'none';
  if (verify === 'ca') options.checkServerIdentity = () => undefined;

  const cert = get('sslcert', 'PGSSLCERT') ?? (existsSync(join(pgDir(), 'postgresql.crt')) ? join(pgDir(), 'postgresql.crt') : undefined);
  const key = get('sslkey', 'PGSSLKEY') ?? (cert ? join(pgDir(), 'postgresql.key') : undefined);
  if (cert && existsSync(cert)) {
    options.cert = readTlsFile(cert, 'client certificate');
    if (key) options.key = readTlsFile(key, 'client key');
    const passphrase = params.get('sslpassword');
    if (passphrase) options.passphrase = passphrase;
  } else if (params.get('sslcert')) {
    readTlsFile(params.get('sslcert')!, 'client certificate'); // named explicitly: a missing file is an error
  }
  return { mode, encrypted: true, ssl: options };
}

/** True for hosts on this machine, where TLS buys nothing; others get verify-full suggested. */
export function isLocalHost(host: string | undefined): boolean {
  const h = (host ?? 'localhost').toLowerCase();
  return h === 'localhost' || h === '127.0.0.1' || h === '::1' || h === '[::1]' || h.startsWith('/');
}
