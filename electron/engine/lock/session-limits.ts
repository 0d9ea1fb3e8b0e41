import { GodwitError } from '../util/errors.ts';

/**
 * How long any statement Godwit runs may wait for a table lock, and run at all. A migration's ALTER TABLE queued
 * behind a long transaction holds every later reader of that table in the queue behind it; `lock_timeout` bounds
 * that wait, and the migration is retried later instead (issue 10, section 4).
 */
export interface SessionLimits {
  /** PostgreSQL `lock_timeout`; 0 means no limit. */
  lockTimeoutMs: number;
  /** PostgreSQL `statement_timeout`; null leaves the server's (or role's) setting alone. */
  statementTimeoutMs: number | null;
  /** How many times a migration is tried when it hits the lock timeout (1 = no retry). */
  lockAttempts: number;
  /** The first wait between attempts; it doubles after each, up to 30 s. */
  retryBackoffMs: number;
}

export const DEFAULT_DDL_LOCK_TIMEOUT_MS = 5_000;
export const DEFAULT_LOCK_ATTEMPTS = 3;
export const DEFAULT_RETRY_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;

export const DEFAULT_SESSION_LIMITS: SessionLimits = {
  lockTimeoutMs: DEFAULT_DDL_LOCK_TIMEOUT_MS,
  statementTimeoutMs: null,
  lockAttempts: DEFAULT_LOCK_ATTEMPTS,
  retryBackoffMs: DEFAULT_RETRY_BACKOFF_MS,
};

/** Each given value over the defaults, later sources winning (defaults, then the environment, then the flags). */
export function sessionLimits(...layers: (Partial<SessionLimits> | undefined)[]): SessionLimits {
  const out = { ...DEFAULT_SESSION_LIMITS };
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer ?? {})) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

/** The wait before attempt `attempt` (2, 3, …). */
export function backoffMs(limits: SessionLimits, attempt: number): number {
  return Math.min(MAX_BACKOFF_MS, limits.retryBackoffMs * 2 ** Math.max(0, attempt - 2));
}

/** Session-level SET statements: they hold for everything the run sends, bookkeeping included. */
export function sessionLimitsSql(limits: SessionLimits): string {
  const sets = [`SET lock_timeout = ${Math.round(limits.lockTimeoutMs)}`];
  if (limits.statementTimeoutMs !== null) sets.push(`SET statement_timeout = ${Math.round(limits.statementTimeoutMs)}`);
  return `${sets.join(';\n')};`;
}

/**
 * Undoes whatever session settings a migration changed (`SET search_path TO app`, `SET role`, …): RESET ALL goes
 * back to the values the session started with, then Godwit's own limits are set again.
 */
export function restoreSessionSql(limits: SessionLimits): string {
  return `RESET ALL;\n${sessionLimitsSql(limits)}`;
}

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|min)?$/;

/**
 * A duration as godwit.json and the flags give it: a number of seconds (`5`, `0.5`) or a string with a unit
 * (`"500ms"`, `"5s"`, `"2min"`). Digits only: no sign, exponent, hex or blanks.
 */
export function parseDurationMs(value: string | number, what: string): number {
  const text = typeof value === 'number' ? String(value) : value;
  const m = DURATION.exec(text);
  if (!m || (typeof value === 'number' && !Number.isFinite(value))) {
    throw new GodwitError('bad-options', `${what} takes seconds (digits, e.g. 5 or 0.5) or a duration like 500ms, 5s, 2min; not "${text}".`);
  }
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return unit === 'ms' ? n : unit === 'min' ? n * 60_000 : n * 1000;
}

/** A whole number of at least `min`, written with digits only (`0x2`, `1e3`, ` 1`, `+1` are refused). */
export function parseWholeNumber(value: string | number, what: string, min = 1, code = 'bad-options'): number {
  const text = typeof value === 'number' ? String(value) : value;
  if (!/^\d+$/.test(text) || Number(text) < min || !Number.isSafeInteger(Number(text))) {
    throw new GodwitError(code, `${what} takes a whole number of at least ${min} (digits only), not "${text}".`);
  }
  return Number(text);
}
