import type { Command } from 'commander';
import { GodwitError, openProject, selectEnvironments, type Environment, type OpenProject, type PreviewRequest } from '../engine/index.ts';
import { settleEnvironments, type EnvironmentOutcome } from '../engine/project/environments.ts';

/** Options every command takes, given before or after the command name. */
export interface CommonOptions {
  project?: string;
  env?: string[];
  all?: boolean;
  url?: string;
  json?: boolean;
  yes?: boolean;
  confirm?: string;
  lockTimeout?: string;
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

/** Adds the project and environment options to a command. */
export function withCommonOptions(cmd: Command, { many = false } = {}): Command {
  cmd
    .option('-p, --project <dir>', 'the Prisma project folder (default: the current folder)')
    .option('-e, --env <name>', many ? 'an environment from godwit.json (repeatable)' : 'an environment from godwit.json', collect)
    .option('--url <url>', 'an ad-hoc database instead of a configured environment (also env:VAR)');
  if (many) cmd.option('--all', 'every environment in godwit.json');
  return cmd;
}

/**
 * `--url "$UNSET"` arrives as "" and would otherwise read as "not given", silently picking the default environment
 * (dev). A blank value for an option that chooses where to act is always a mistake: refuse it.
 */
function refuseBlank(opts: CommonOptions): void {
  const given: [string, string | undefined][] = [['--project', opts.project], ['--url', opts.url], ...(opts.env ?? []).map((e): [string, string] => ['--env', e])];
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

export async function projectFromOptions(opts: CommonOptions): Promise<OpenProject> {
  return openProject(opts.project ?? process.cwd());
}

/** `--url env:VAR` is resolved by the engine, which refuses an unset or empty VAR instead of falling back. */
export function environmentsFromOptions(open: OpenProject, opts: CommonOptions, manyByDefault = false): Environment[] {
  return selectEnvironments(open.project, { env: opts.env, all: opts.all, url: opts.url }, manyByDefault);
}

/** Like environmentsFromOptions, but an environment whose URL cannot be resolved is reported, not thrown. */
export function settledEnvironmentsFromOptions(open: OpenProject, opts: CommonOptions, manyByDefault = false): EnvironmentOutcome[] {
  return settleEnvironments(open.project, { env: opts.env, all: opts.all, url: opts.url }, manyByDefault);
}

export function lockTimeoutMs(opts: CommonOptions): number | undefined {
  if (opts.lockTimeout === undefined) return undefined;
  const seconds = Number(opts.lockTimeout);
  if (!Number.isFinite(seconds) || seconds < 0) throw new GodwitError('bad-options', `--lock-timeout takes seconds, not "${opts.lockTimeout}".`);
  return seconds * 1000;
}

/** A flag's value as a positive whole number (undefined when the flag was not given). */
export function positiveInteger(value: string | undefined, flag: string, code = 'bad-options'): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new GodwitError(code, `${flag} takes a positive whole number, not "${value}".`);
  return n;
}

/** The target of `up`/`down` (and `sql [--down]`) from --to, --steps and --base. */
export function moveRequest(direction: 'up' | 'down', o: { to?: string; steps?: string; base?: boolean }): PreviewRequest {
  if (direction === 'up') return { direction, to: o.to };
  const chosen = [o.steps !== undefined, o.to !== undefined, o.base === true].filter(Boolean).length;
  if (chosen > 1) throw new GodwitError('bad-options', 'Choose one of --steps, --to and --base.');
  return { direction, steps: positiveInteger(o.steps, '--steps', 'bad-steps'), to: o.to, base: o.base };
}
