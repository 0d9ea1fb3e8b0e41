// godwit.json is read synchronously (small, read on every command); writes, from the app, go through fs.promises,
// which loads only when used.
import { promises as fsp, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
// zod's mini build: the classic one costs ~30 ms of start-up on every command that reads godwit.json. Same checks, and
// with the English locale the same messages (environment-config.test.ts).
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { GodwitError } from '../util/errors.ts';
import { redactUrl } from '../util/redact.ts';
import type { SshSettings } from '../db/ssh-tunnel.ts';

z.config(en());

export const GODWIT_JSON = 'godwit.json';

let godwitJsonSchema: ReturnType<typeof buildGodwitJsonSchema> | undefined;

/** Built on first use: a command on an ad-hoc --url reads no godwit.json and need not pay for the schema. */
function buildGodwitJsonSchema() {
  // The bastion a database is reached through (engine/db/ssh-tunnel.ts); a key file or the ssh-agent.
  const sshSchema = z.strictObject({
    host: z.string().check(z.minLength(1)),
    port: z.optional(z.int().check(z.minimum(1), z.maximum(65535))),
    user: z.string().check(z.minLength(1)),
    identityFile: z.optional(z.string().check(z.minLength(1))),
    agent: z.optional(z.boolean()),
    knownHostsFile: z.optional(z.string().check(z.minLength(1))),
    passphrase: z.optional(z.string().check(z.regex(/^env:\S+$/, 'passphrase must be env:VARIABLE (or kept in the app\'s secret store)'))),
  }).check(z.refine((s) => Boolean(s.identityFile) !== Boolean(s.agent), 'set either "identityFile" or "agent": true'));

  const environmentSchema = z.strictObject({
    url: z.string().check(z.minLength(1, 'url must not be empty')),
    protected: z._default(z.boolean(), false),
    shadowDatabaseUrl: z.optional(z.string().check(z.minLength(1))),
    // Session limits for every statement Godwit runs there (lock/session-limits.ts): seconds, or "500ms"/"5s"/"2min".
    lockTimeout: z.optional(z.union([z.number().check(z.nonnegative()), z.string().check(z.minLength(1))])),
    statementTimeout: z.optional(z.union([z.number().check(z.nonnegative()), z.string().check(z.minLength(1))])),
    lockAttempts: z.optional(z.int().check(z.minimum(1), z.maximum(100))),
    ssh: z.optional(sshSchema),
    // Run through the shell when a connection opens; its output is the password (never logged).
    passwordCommand: z.optional(z.string().check(z.minLength(1))),
    // Backups of what destructive migrations destroy (engine/backup): the size above which Godwit asks (bytes, or
    // "500MB"/"1GB"), how many days they are kept, and a pg_dump of the affected tables before each run.
    backupLimit: z.optional(z.union([z.number().check(z.nonnegative()), z.string().check(z.minLength(1))])),
    backupRetentionDays: z.optional(z.number().check(z.nonnegative())),
    backupBeforeRun: z.optional(z.boolean()),
    // Keep replayed shadows on this environment's server for drift, down-sql and new (README, "Shadow cache"); default:
    // on, except on protected environments.
    shadowCache: z.optional(z.boolean()),
  });

  return z.strictObject({
    $schema: z.optional(z.string()),
    // `godwit check` settings, validated where they are used (engine/check/check-config.ts).
    check: z.optional(z.unknown()),
    environments: z
      .record(z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'names use letters, digits, _ . -')), environmentSchema)
      .check(z.refine((envs) => Object.keys(envs).length > 0, 'define at least one environment')),
  });
}

/** An environment as configured, before its url is resolved. */
export interface EnvironmentConfig {
  name: string;
  /** A literal url, `env:VAR`, or `embedded:<name>`. */
  url: string;
  protected: boolean;
  shadowDatabaseUrl?: string | undefined;
  /** PostgreSQL lock_timeout for Godwit's statements: seconds, or a string with a unit ("500ms", "5s"). */
  lockTimeout?: number | string | undefined;
  /** PostgreSQL statement_timeout for Godwit's statements (default: the server's). */
  statementTimeout?: number | string | undefined;
  /** Attempts of a migration that hits the lock timeout (default 3). */
  lockAttempts?: number | undefined;
  /** The SSH bastion the database is reached through. */
  ssh?: SshSettings | undefined;
  /** A shell command printing the password, run when a connection opens. */
  passwordCommand?: string | undefined;
  /** Backups (engine/backup): the size above which Godwit asks, retention in days, pg_dump before each run. */
  backupLimit?: number | string | undefined;
  backupRetentionDays?: number | undefined;
  backupBeforeRun?: boolean | undefined;
  /** Shadow cache databases on this environment's server (default: on unless protected). */
  shadowCache?: boolean | undefined;
}

/** Reads `godwit.json` from the project folder; null when there is none. */
export async function readGodwitJson(projectDir: string): Promise<EnvironmentConfig[] | null> {
  let text: string;
  try {
    // A FIFO or a device (a link to /dev/zero) would be read forever: a file of sensible size only.
    const info = statSync(join(projectDir, GODWIT_JSON));
    if (!info.isFile()) throw new GodwitError('godwit-json-unreadable', `Cannot read ${GODWIT_JSON}: it is not a regular file.`);
    if (info.size > 1 << 20) throw new GodwitError('godwit-json-unreadable', `Cannot read ${GODWIT_JSON}: ${info.size} bytes is not a configuration file.`);
    text = readFileSync(join(projectDir, GODWIT_JSON), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    if (err instanceof GodwitError) throw err;
    throw new GodwitError('godwit-json-unreadable', `Cannot read ${GODWIT_JSON}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    // Where, not what: V8's message quotes the text around the error, and the file may hold (or link to) a secret.
    throw new GodwitError('godwit-json-invalid', `${GODWIT_JSON} is not valid JSON${jsonErrorPlace(text, err)}.`);
  }
  return validGodwitJson(json);
}

/** " at line L, column C" of a JSON.parse error, from the position V8 gives; empty when it gives none. */
function jsonErrorPlace(text: string, err: unknown): string {
  const position = /position (\d+)/.exec((err as Error).message)?.[1];
  if (position === undefined) return /end of JSON input/.test((err as Error).message) ? ': it ends too early' : '';
  const before = text.slice(0, Number(position));
  const line = before.split('\n').length;
  return ` at line ${line}, column ${Number(position) - before.lastIndexOf('\n')}`;
}

/** godwit.json's environments, or the first problem with the file as one sentence. */
function validGodwitJson(json: unknown): EnvironmentConfig[] {
  const parsed = (godwitJsonSchema ??= buildGodwitJsonSchema()).safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    throw new GodwitError('godwit-json-invalid', `${GODWIT_JSON}: ${where}: ${issue.message}.`);
  }
  return Object.entries(parsed.data.environments).map(([name, env]) => ({ name, ...env }));
}

/**
 * Writes godwit.json only if what it would hold reads back as valid (one bad edit from the app must not leave a file
 * every later command refuses), under a temporary name renamed over it: never half-written.
 */
async function writeGodwitJson(projectDir: string, json: unknown): Promise<void> {
  validGodwitJson(json);
  const path = join(projectDir, GODWIT_JSON);
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await fsp.writeFile(tmp, `${JSON.stringify(json, null, 2)}\n`);
    await fsp.rename(tmp, path);
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    throw err;
  }
}

type RawEnvironment = { url: string; protected?: boolean; shadowDatabaseUrl?: string; lockTimeout?: number | string; statementTimeout?: number | string; lockAttempts?: number; ssh?: SshSettings; passwordCommand?: string; backupLimit?: number | string; backupRetentionDays?: number; backupBeforeRun?: boolean; shadowCache?: boolean };

/** Settings an edit from the app does not carry, kept from the entry it replaces. */
function keptSettings(previous: RawEnvironment | undefined, edit: EnvironmentConfig): Partial<RawEnvironment> {
  if (!previous) return {};
  const { lockTimeout, statementTimeout, lockAttempts, backupLimit, backupRetentionDays, backupBeforeRun, shadowCache } = previous;
  const backups = { ...(backupLimit !== undefined ? { backupLimit } : {}), ...(backupRetentionDays !== undefined ? { backupRetentionDays } : {}), ...(backupBeforeRun !== undefined ? { backupBeforeRun } : {}), ...(shadowCache !== undefined ? { shadowCache } : {}) };
  // ssh and passwordCommand: an edit that names the key (even as undefined: removal) replaces them.
  const ssh = 'ssh' in edit ? undefined : previous.ssh;
  const passwordCommand = 'passwordCommand' in edit ? undefined : previous.passwordCommand;
  return { ...backups, ...(lockTimeout !== undefined ? { lockTimeout } : {}), ...(statementTimeout !== undefined ? { statementTimeout } : {}), ...(lockAttempts !== undefined ? { lockAttempts } : {}), ...(ssh !== undefined ? { ssh } : {}), ...(passwordCommand !== undefined ? { passwordCommand } : {}) };
}

async function readRaw(projectDir: string): Promise<{ environments: Record<string, RawEnvironment> } & Record<string, unknown>> {
  try {
    return JSON.parse(await fsp.readFile(join(projectDir, GODWIT_JSON), 'utf8')) as never;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { environments: {} };
    throw new GodwitError('godwit-json-invalid', `Cannot read ${GODWIT_JSON}: ${(err as Error).message}`);
  }
}

/** True when a literal URL carries a password; those stay out of godwit.json (use env:VAR). */
export function urlHasPassword(url: string): boolean {
  if (url.startsWith('env:') || url.startsWith('embedded:')) return false;
  // A password in the user info (with a scheme or without), in password= or sslpassword= (any case): what redactUrl masks.
  if (redactUrl(url) !== url) return true;
  try {
    return new URL(url).password !== '';
  } catch {
    return false;
  }
}

/** What godwit.json takes as a URL: env:VARIABLE, embedded:NAME or postgres(ql)://… (pg reads `postgresql:/x` too, wrongly). */
function checkUrlForm(url: string, what: string): void {
  if (url.startsWith('env:') || url.startsWith('embedded:') || /^postgres(ql)?:\/\/./i.test(url)) return;
  throw new GodwitError('bad-url', `${what} must be env:VARIABLE, embedded:NAME or postgresql://user@host:port/database, not ${redactUrl(url).slice(0, 80)}.`);
}

/** Adds or replaces (and possibly renames) one environment in godwit.json, keeping the others and their order. */
export async function saveEnvironment(projectDir: string, env: EnvironmentConfig, previousName?: string): Promise<void> {
  if (urlHasPassword(env.url) || (env.shadowDatabaseUrl && urlHasPassword(env.shadowDatabaseUrl))) {
    throw new GodwitError(
      'password-in-url',
      'Godwit does not write passwords into godwit.json.',
      'Put the URL in an environment variable (for example in the project\'s .env) and use env:VARIABLE here.',
    );
  }
  checkUrlForm(env.url, 'The URL');
  if (env.shadowDatabaseUrl) checkUrlForm(env.shadowDatabaseUrl, 'The shadow database URL');
  const raw = await readRaw(projectDir);
  const entries = Object.entries(raw.environments ?? {});
  const value: RawEnvironment = { url: env.url, ...(env.protected ? { protected: true } : {}), ...(env.shadowDatabaseUrl ? { shadowDatabaseUrl: env.shadowDatabaseUrl } : {}), ...(env.ssh ? { ssh: env.ssh } : {}), ...(env.passwordCommand ? { passwordCommand: env.passwordCommand } : {}) };
  const at = entries.findIndex(([name]) => name === (previousName ?? env.name));
  if (previousName !== env.name && entries.some(([name]) => name === env.name)) {
    throw new GodwitError('environment-exists', `An environment named "${env.name}" already exists.`);
  }
  if (at === -1) entries.push([env.name, value]);
  else entries[at] = [env.name, { ...value, ...keptSettings(entries[at]![1], env) }];
  await writeGodwitJson(projectDir, { ...raw, environments: Object.fromEntries(entries) });
}

export async function removeEnvironment(projectDir: string, name: string): Promise<void> {
  const raw = await readRaw(projectDir);
  if (!raw.environments || !Object.prototype.hasOwnProperty.call(raw.environments, name)) throw new GodwitError('unknown-environment', `Unknown environment "${name}".`);
  delete raw.environments[name];
  // The last one gone: no godwit.json (one without environments is invalid), and the project's own datasource rules.
  if (Object.keys(raw.environments).length === 0 && Object.keys(raw).length === 1) await fsp.rm(join(projectDir, GODWIT_JSON), { force: true });
  else await writeGodwitJson(projectDir, raw);
}
