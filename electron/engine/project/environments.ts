import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { GodwitError } from '../util/errors.ts';
import { displayUrl, redactUrl } from '../util/redact.ts';
import { godwitDataDir } from '../util/data-dir.ts';
import { clientConfigFromUrl, connectPostgres } from '../db/connect-postgres.ts';
import type { Db } from '../db/db.ts';
import type { SshSettings } from '../db/ssh-tunnel.ts';
import type { Project } from './load-project.ts';
import type { EnvironmentConfig } from './environment-config.ts';
import { parseDurationMs, type SessionLimits } from '../lock/session-limits.ts';
import { backupSettings, type BackupSettings } from '../backup/settings.ts';

export type EnvironmentTarget =
  | { kind: 'postgres'; url: string; shadowDatabaseUrl?: string | undefined; ssh?: SshSettings | undefined; passwordCommand?: string | undefined; sshPassphrase?: string | undefined }
  | { kind: 'embedded'; name: string; dataDir: string };

/** An environment whose url has been resolved; `display` is what may be shown (no password). */
export interface Environment {
  name: string;
  protected: boolean;
  display: string;
  target: EnvironmentTarget;
  /** lockTimeout, statementTimeout and lockAttempts from godwit.json, when set there. */
  limits?: Partial<SessionLimits> | undefined;
  /** backupLimit, backupRetentionDays and backupBeforeRun from godwit.json, when set there (engine/backup). */
  backup?: BackupSettings | undefined;
  /** Whether drift, down-sql and new may keep shadow cache databases on its server: godwit.json's shadowCache, else not when protected. */
  shadowCache?: boolean | undefined;
}

/** Whether drift, down-sql and new keep shadow cache databases on the environment's server (README, "Shadow cache"). */
export function usesShadowCache(env: Environment): boolean {
  return env.shadowCache ?? !env.protected;
}

/** The name given to the environment `--url` creates. */
export const ADHOC_ENV = 'url';

/** Folder of an embedded database: per project, so two projects' `embedded:dev` never meet. */
export function embeddedDataDir(projectDir: string, name: string): string {
  const key = createHash('sha256').update(projectDir).digest('hex').slice(0, 12);
  return join(godwitDataDir(), 'embedded', key, name);
}

function resolveUrl(value: string, what: string): string {
  if (!value.startsWith('env:')) return value;
  const variable = value.slice(4);
  // Own variables only: env:__proto__ or env:constructor must not reach Object.prototype.
  const resolved = Object.prototype.hasOwnProperty.call(process.env, variable) ? process.env[variable] : undefined;
  if (typeof resolved !== 'string' || !resolved) {
    throw new GodwitError('unset-variable', `${what} uses env:${variable}, but ${variable} is not set.`, 'Set it in the shell or in the project\'s .env.');
  }
  return resolved;
}

/** Refuses a URL pg cannot read, naming the environment; the hint holds no `user:password@` for redaction to mask. */
function checkUrl(url: string, what: string): void {
  try {
    clientConfigFromUrl(url);
  } catch (err) {
    if (err instanceof GodwitError && err.code !== 'bad-url') throw err; // a TLS file or service problem says so
    throw new GodwitError(
      'bad-url',
      `${what}: cannot parse the database URL ${redactUrl(url)}.`,
      'Expected postgresql://user@host:port/database (port 1-65535); a password goes in an env: variable or the app\'s password field.',
    );
  }
}

/** The session limits an environment sets in godwit.json, validated with its name in view. */
function configuredLimits(cfg: EnvironmentConfig): Partial<SessionLimits> | undefined {
  if (cfg.lockTimeout === undefined && cfg.statementTimeout === undefined && cfg.lockAttempts === undefined) return undefined;
  const what = (key: string) => `Environment "${cfg.name}": ${key}`;
  return {
    lockTimeoutMs: cfg.lockTimeout === undefined ? undefined : parseDurationMs(cfg.lockTimeout, what('lockTimeout')),
    statementTimeoutMs: cfg.statementTimeout === undefined ? undefined : parseDurationMs(cfg.statementTimeout, what('statementTimeout')),
    lockAttempts: cfg.lockAttempts,
  } as Partial<SessionLimits>;
}

export function resolveEnvironment(project: Project, cfg: EnvironmentConfig): Environment {
  return withBackupSettings(resolveTarget(project, cfg), cfg);
}

/** Adds the backup settings to a resolved environment, validated with its name in view. */
function withBackupSettings(env: Environment, cfg: EnvironmentConfig): Environment {
  const backup = backupSettings(cfg);
  const withCache = cfg.shadowCache !== undefined ? { ...env, shadowCache: cfg.shadowCache } : env;
  return backup ? { ...withCache, backup } : withCache;
}

function resolveTarget(project: Project, cfg: EnvironmentConfig): Environment {
  const limits = configuredLimits(cfg);
  if (cfg.url.startsWith('embedded:')) {
    const name = cfg.url.slice('embedded:'.length);
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) {
      throw new GodwitError('bad-url', `Environment "${cfg.name}": "${cfg.url}" is not a valid embedded database name.`);
    }
    return { name: cfg.name, protected: cfg.protected, display: cfg.url, target: { kind: 'embedded', name, dataDir: embeddedDataDir(project.dir, name) }, ...(limits ? { limits } : {}) };
  }
  const url = resolveUrl(cfg.url, `Environment "${cfg.name}"`);
  checkUrl(url, `Environment "${cfg.name}"`); // now, with the environment's name in view
  // An unprotected environment that reaches a protected one's database is protected too: a second name for prod
  // (another spelling of the host, the same env: variable) must not run on it without the typed name.
  if (!cfg.protected && protectedTwin(project, url, cfg.name)) cfg = { ...cfg, protected: true };
  const shadow = cfg.shadowDatabaseUrl ? resolveUrl(cfg.shadowDatabaseUrl, `Environment "${cfg.name}" shadowDatabaseUrl`) : undefined;
  if (shadow) checkUrl(shadow, `Environment "${cfg.name}" shadowDatabaseUrl`);
  return { name: cfg.name, protected: cfg.protected, display: displayUrl(url), target: { kind: 'postgres', url, shadowDatabaseUrl: shadow, ...(cfg.ssh ? { ssh: cfg.ssh } : {}), ...(cfg.passwordCommand ? { passwordCommand: cfg.passwordCommand } : {}) }, ...(limits ? { limits } : {}) };
}

/**
 * This machine under any name: localhost, all of 127.0.0.0/8 in any IPv4 spelling (`127.1`, `2130706433`, which the
 * URL parser normalises), 0.0.0.0 (connects locally), ::1, a Unix socket, and the machine's own host name.
 */
function isThisMachine(host: string): boolean {
  if (host.startsWith('/')) return true;
  let name = host;
  try {
    name = new URL(`http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}/`).hostname;
  } catch {
    // not a host name the URL parser takes: compared as written
  }
  return name === 'localhost' || name.endsWith('.localhost') || /^127\./.test(name) || name === '0.0.0.0' || name === '[::1]' || name === '[::]' || name === hostname().toLowerCase();
}

/** Where a URL's database is, as pg would connect (this machine's names count as one host), and the role it logs in as. */
function loginOf(url: string): { database: string; user: string } | null {
  try {
    const c = clientConfigFromUrl(url);
    const host = (c.host ?? 'localhost').toLowerCase();
    const user = c.user ?? process.env.PGUSER ?? process.env.USER ?? '';
    return { database: `${isThisMachine(host) ? 'loopback' : host}:${c.port ?? 5432}/${c.database ?? user}`, user };
  } catch {
    return null;
  }
}

const databaseIdentity = (url: string) => loginOf(url)?.database ?? null;

/** The database and the role a URL logs in as: a stored password goes only where it was saved for. */
export function sameLogin(a: string, b: string): boolean {
  const [la, lb] = [loginOf(a), loginOf(b)];
  return la !== null && lb !== null && la.database === lb.database && la.user === lb.user;
}

/** The protected environment of the project whose database `url` reaches, under whatever name; undefined if none. */
function protectedTwin(project: Project, url: string, except?: string): EnvironmentConfig | undefined {
  const target = databaseIdentity(url);
  if (target === null) return undefined;
  return project.environments.find((cfg) => {
    if (!cfg.protected || cfg.name === except || cfg.url.startsWith('embedded:')) return false;
    try {
      return databaseIdentity(resolveUrl(cfg.url, cfg.name)) === target;
    } catch {
      return false; // an unset variable: nothing to compare with
    }
  });
}

/**
 * The configuration of the ad-hoc environment `--url` creates. A URL that reaches the same host, port and database as
 * a protected environment of the project IS that environment: it takes its name and its protection, so
 * `--url <prod's url>` needs `--confirm <prod>` as `--env prod` does.
 */
export function adhocEnvironmentConfig(project: Project, url: string): EnvironmentConfig {
  const adhoc: EnvironmentConfig = { name: ADHOC_ENV, url, protected: false };
  if (url.startsWith('embedded:')) {
    const same = project.environments.find((e) => e.protected && e.url === url);
    return same ? { ...adhoc, name: same.name, protected: true } : adhoc;
  }
  let resolved: string;
  try {
    resolved = resolveUrl(url, '--url');
  } catch {
    return adhoc; // resolveEnvironment reports the problem
  }
  const twin = protectedTwin(project, resolved);
  return twin ? { ...adhoc, name: twin.name, protected: true } : adhoc;
}

/** One selected environment: resolved, or the reason it could not be (its URL), so the others still show. */
export type EnvironmentOutcome =
  | { name: string; protected: boolean; location: string; env: Environment; error?: undefined }
  | { name: string; protected: boolean; location: string; env?: undefined; error: GodwitError };

export interface EnvironmentSelection {
  env?: string[] | undefined;
  all?: boolean | undefined;
  url?: string | undefined;
}

/** The configured environments a selection names (not yet resolved); unknown names and empty projects throw. */
function selectedConfigs(project: Project, sel: EnvironmentSelection, manyByDefault: boolean): EnvironmentConfig[] {
  if (sel.url !== undefined) return [adhocEnvironmentConfig(project, sel.url)];
  const known = project.environments;
  const names = known.map((e) => e.name);
  if (known.length === 0) {
    throw new GodwitError(
      'no-environments',
      'This project has no environments: no godwit.json and no datasource url in the Prisma config.',
      'Pass --url, or create godwit.json (see godwit --help).',
    );
  }
  if (sel.env?.length) {
    return [...new Set(sel.env)].map((name) => {
      const cfg = known.find((e) => e.name === name);
      if (!cfg) throw new GodwitError('unknown-environment', `Unknown environment "${name}". Known: ${names.join(', ')}.`);
      return cfg;
    });
  }
  if (sel.all || manyByDefault) return known;
  const fallback = known.find((e) => e.name === 'dev') ?? (known.length === 1 ? known[0] : undefined);
  if (!fallback) {
    throw new GodwitError('ambiguous-environment', `Choose an environment with --env (${names.join(', ')}).`);
  }
  return [fallback];
}

/**
 * The environments a command acts on, each resolved on its own: one whose URL cannot be resolved (unset variable,
 * unparsable URL) is reported with its name and a redacted location, and does not hide the others.
 */
export function settleEnvironments(project: Project, sel: EnvironmentSelection, manyByDefault = false): EnvironmentOutcome[] {
  return selectedConfigs(project, sel, manyByDefault).map((cfg): EnvironmentOutcome => {
    const base = { name: cfg.name, protected: cfg.protected };
    try {
      const env = resolveEnvironment(project, cfg);
      return { ...base, protected: env.protected, location: env.display, env };
    } catch (err) {
      const error = err instanceof GodwitError ? err : new GodwitError('bad-url', `Environment "${cfg.name}": ${(err as Error).message}`);
      return { ...base, location: redactUrl(cfg.url), error };
    }
  });
}

/**
 * The environments a command acts on: `--url` (ad hoc), `--env` names, `--all`, or else the default — every
 * environment when `manyByDefault`, otherwise `dev` (or the only one). The first that cannot be resolved throws.
 */
export function selectEnvironments(project: Project, sel: EnvironmentSelection, manyByDefault = false): Environment[] {
  return settleEnvironments(project, sel, manyByDefault).map((o) => {
    if (o.error) throw o.error;
    return o.env;
  });
}

/** Opens one session on the environment's database. */
export async function openEnvironment(env: Environment): Promise<Db> {
  // PGlite's glue loads only for an embedded database.
  if (env.target.kind === 'embedded') return (await import('../db/connect-pglite.ts')).connectPglite(env.target.dataDir, env.display);
  return connectPostgres({ url: env.target.url, shadowDatabaseUrl: env.target.shadowDatabaseUrl, name: env.name, ssh: env.target.ssh, passwordCommand: env.target.passwordCommand, sshPassphrase: env.target.sshPassphrase });
}
