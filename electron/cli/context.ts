import type { Command } from 'commander';
// Engine modules one by one, not its index: the index would load every command's code on every start (main.ts).
import type { Environment, PreviewRequest } from '../engine/index.ts';
import { GodwitError } from '../engine/util/errors.ts';
import type { OpenProject } from '../engine/project/open-project.ts';
import { loadProject } from '../engine/project/load-project.ts';
import { selectEnvironments, settleEnvironments, type EnvironmentOutcome } from '../engine/project/environments.ts';

/** Options every command takes, given before or after the command name. */
export interface CommonOptions {
  project?: string;
  env?: string[];
  all?: boolean;
  url?: string;
  schema?: string;
  json?: boolean;
  yes?: boolean;
  confirm?: string;
  lockTimeout?: string;
}

export { withCommonOptions } from './common-options.ts';

/**
 * For a read-only command's sessions, which it uses last before ending: closed as psql closes, without waiting for
 * the server to close its end (engine/db/db.ts, CloseOptions).
 */
export const LAST_USE = { wait: false } as const;

/**
 * `--url "$UNSET"` arrives as "" and would otherwise read as "not given", silently picking the default environment
 * (dev). A blank value for an option that chooses where to act is always a mistake: refuse it.
 */
function refuseBlank(opts: CommonOptions): void {
  const given: [string, string | undefined][] = [['--project', opts.project], ['--url', opts.url], ['--schema', opts.schema], ...(opts.env ?? []).map((e): [string, string] => ['--env', e])];
  for (const [flag, value] of given) {
    if (value !== undefined && value.trim() === '') throw new GodwitError('bad-options', `${flag} is empty: give a value (an unset variable in a script?).`);
  }
}

/** The command's own options over the program's: commander's optsWithGlobals lets a local default win. */
export function optionsOf<T extends object>(cmd: Command): T & CommonOptions {
  const merged: Record<string, unknown> = {};
  const chain: Command[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) chain.unshift(c);
  for (const c of chain) for (const [k, v] of Object.entries(c.opts())) if (v !== undefined) merged[k] = v;
  refuseBlank(merged as CommonOptions);
  return merged as T & CommonOptions;
}

/** The project without its migrations folder: enough for commands that read only the database (tables, describe). */
export async function projectSettingsFromOptions(opts: CommonOptions): Promise<Pick<OpenProject, 'project'>> {
  return { project: await loadProject(opts.project ?? process.cwd(), { allowUnsetEnv: opts.url !== undefined, schema: opts.schema }) };
}

export async function projectFromOptions(opts: CommonOptions): Promise<OpenProject> {
  // Loaded here, not with this module: tables and describe never read the migrations folder.
  const { openProject } = await import('../engine/project/open-project.ts');
  return openProject(opts.project ?? process.cwd(), { allowUnsetEnv: opts.url !== undefined, schema: opts.schema });
}

/** `--url env:VAR` is resolved by the engine, which refuses an unset or empty VAR instead of falling back. */
export function environmentsFromOptions(open: Pick<OpenProject, 'project'>, opts: CommonOptions, manyByDefault = false): Environment[] {
  return selectEnvironments(open.project, { env: opts.env, all: opts.all, url: opts.url }, manyByDefault);
}

/** Like environmentsFromOptions, but an environment whose URL cannot be resolved is reported, not thrown. */
export function settledEnvironmentsFromOptions(open: Pick<OpenProject, 'project'>, opts: CommonOptions, manyByDefault = false): EnvironmentOutcome[] {
  return settleEnvironments(open.project, { env: opts.env, all: opts.all, url: opts.url }, manyByDefault);
}

export function lockTimeoutMs(opts: CommonOptions): number | undefined {
  if (opts.lockTimeout === undefined) return undefined;
  // Digits only (an optional decimal part): Number() would also take ' 1', '+1', '0x2' and '1e3'.
  const seconds = /^\d+(\.\d+)?$/.test(opts.lockTimeout) ? Number(opts.lockTimeout) : NaN;
  if (!Number.isFinite(seconds) || seconds < 0) throw new GodwitError('bad-options', `--lock-timeout takes seconds, not "${opts.lockTimeout}".`);
  return seconds * 1000;
}

/** A flag's value as a positive whole number (undefined when the flag was not given). */
export function positiveInteger(value: string | undefined, flag: string, code = 'bad-options'): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+$/.test(value) ? Number(value) : NaN; // digits only: not ' 1', '+1', '0x2', '1e3'
  if (!Number.isSafeInteger(n) || n < 1) throw new GodwitError(code, `${flag} takes a positive whole number, not "${value}".`);
  return n;
}

/** The target of `up`/`down` (and `sql [--down]`) from --to, --steps and --base. */
export function moveRequest(direction: 'up' | 'down', o: { to?: string; steps?: string; base?: boolean }): PreviewRequest {
  if (direction === 'up') return { direction, to: o.to };
  const chosen = [o.steps !== undefined, o.to !== undefined, o.base === true].filter(Boolean).length;
  if (chosen > 1) throw new GodwitError('bad-options', 'Choose one of --steps, --to and --base.');
  return { direction, steps: positiveInteger(o.steps, '--steps', 'bad-steps'), to: o.to, base: o.base };
}
