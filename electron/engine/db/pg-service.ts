import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { GodwitError } from '../util/errors.ts';

/** The files libpq reads a service from, in order: PGSERVICEFILE (or ~/.pg_service.conf), then PGSYSCONFDIR's. */
function serviceFiles(): string[] {
  const files = [process.env.PGSERVICEFILE || join(homedir(), '.pg_service.conf')];
  if (process.env.PGSYSCONFDIR) files.push(join(process.env.PGSYSCONFDIR, 'pg_service.conf'));
  else files.push('/etc/postgresql-common/pg_service.conf');
  return files;
}

/** The keyword=value settings of one `[service]` section, or undefined when the file has none. */
function readSection(file: string, service: string): Record<string, string> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  let inside = false;
  let found: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      if (found && inside) break;
      inside = section[1] === service;
      if (inside) found = {};
      continue;
    }
    if (!inside || !found) continue;
    const eq = line.indexOf('=');
    if (eq > 0) found[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return found;
}

/**
 * Fills a URL's missing settings from its `service=` (or PGSERVICE) as libpq does; settings written in the URL win.
 * The service's keywords use libpq's names (host, port, user, dbname, password, sslmode, sslrootcert, …).
 */
export function applyPgService(url: URL): URL {
  const service = url.searchParams.get('service') ?? process.env.PGSERVICE;
  if (!service) return url;
  const settings = serviceFiles().map((f) => readSection(f, service)).find(Boolean);
  if (!settings) {
    throw new GodwitError('unknown-service', `The PostgreSQL service "${service}" is not defined in ${serviceFiles().join(' or ')}.`);
  }
  const out = new URL(url.toString());
  out.searchParams.delete('service');
  for (const [key, value] of Object.entries(settings)) {
    if (key === 'host' && !out.hostname) out.hostname = value;
    else if (key === 'port' && !out.port) out.port = value;
    else if (key === 'user' && !out.username) out.username = encodeURIComponent(value);
    else if (key === 'password' && !out.password) out.password = encodeURIComponent(value);
    else if (key === 'dbname' && (out.pathname === '' || out.pathname === '/')) out.pathname = `/${encodeURIComponent(value)}`;
    else if (!['host', 'port', 'user', 'password', 'dbname'].includes(key) && !out.searchParams.has(key)) out.searchParams.set(key, value);
  }
  return out;
}
