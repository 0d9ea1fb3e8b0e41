import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { GodwitError } from '../util/errors.ts';
import { displayUrl } from '../util/redact.ts';
import { godwitDataDir } from '../util/data-dir.ts';
import { clientConfigFromUrl, connectPostgres } from '../db/connect-postgres.ts';
import { connectPglite } from '../db/connect-pglite.ts';
import type { Db } from '../db/db.ts';
import type { Project } from './load-project.ts';
import type { EnvironmentConfig } from './environment-config.ts';

export type EnvironmentTarget =
  | { kind: 'postgres'; url: string; shadowDatabaseUrl?: string | undefined }
  | { kind: 'embedded'; name: string; dataDir: string };

/** An environment whose url has been resolved; `display` is what may be shown (no password). */
export interface Environment {
  name: string;
  protected: boolean;
  display: string;
  target: EnvironmentTarget;
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
  const resolved = process.env[variable];
  if (!resolved) {
    throw new GodwitError('unset-variable', `${what} uses env:${variable}, but ${variable} is not set.`, 'Set it in the shell or in the project\'s .env.');
  }
  return resolved;
}

export function resolveEnvironment(project: Project, cfg: EnvironmentConfig): Environment {
  if (cfg.url.startsWith('embedded:')) {
    const name = cfg.url.slice('embedded:'.length);
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) {
      throw new GodwitError('bad-url', `Environment "${cfg.name}": "${cfg.url}" is not a valid embedded database name.`);
    }
    return { name: cfg.name, protected: cfg.protected, display: cfg.url, target: { kind: 'embedded', name, dataDir: embeddedDataDir(project.dir, name) } };
  }
  const url = resolveUrl(cfg.url, `Environment "${cfg.name}"`);
  clientConfigFromUrl(url); // refuses an unparsable url now, with the environment's name in view
  const shadow = cfg.shadowDatabaseUrl ? resolveUrl(cfg.shadowDatabaseUrl, `Environment "${cfg.name}" shadowDatabaseUrl`) : undefined;
  if (shadow) clientConfigFromUrl(shadow);
  return { name: cfg.name, protected: cfg.protected, display: displayUrl(url), target: { kind: 'postgres', url, shadowDatabaseUrl: shadow } };
}

export interface EnvironmentSelection {
  env?: string[] | undefined;
  all?: boolean | undefined;
  url?: string | undefined;
}

/**
 * The environments a command acts on: `--url` (ad hoc), `--env` names, `--all`, or else the default — every
 * environment when `manyByDefault`, otherwise `dev` (or the only one).
 */
export function selectEnvironments(project: Project, sel: EnvironmentSelection, manyByDefault = false): Environment[] {
  if (sel.url) {
    return [resolveEnvironment(project, { name: ADHOC_ENV, url: sel.url, protected: false })];
  }
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
    return sel.env.map((name) => {
      const cfg = known.find((e) => e.name === name);
      if (!cfg) throw new GodwitError('unknown-environment', `Unknown environment "${name}". Known: ${names.join(', ')}.`);
      return resolveEnvironment(project, cfg);
    });
  }
  if (sel.all || manyByDefault) return known.map((cfg) => resolveEnvironment(project, cfg));
  const fallback = known.find((e) => e.name === 'dev') ?? (known.length === 1 ? known[0] : undefined);
  if (!fallback) {
    throw new GodwitError('ambiguous-environment', `Choose an environment with --env (${names.join(', ')}).`);
  }
  return [resolveEnvironment(project, fallback)];
}

/** Opens one session on the environment's database. */
export function openEnvironment(env: Environment): Promise<Db> {
  if (env.target.kind === 'embedded') return connectPglite(env.target.dataDir, env.display);
  return connectPostgres({ url: env.target.url, shadowDatabaseUrl: env.target.shadowDatabaseUrl });
}
