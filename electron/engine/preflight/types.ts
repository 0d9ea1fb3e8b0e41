import type { LockMode } from '../analysis/lock-modes.ts';

/** Why a session stands in the way of a run. */
export type BlockerKind = 'lock-conflict' | 'long-transaction' | 'idle-in-transaction' | 'pg_dump' | 'autovacuum';

/** A lock another session holds (granted) or waits for, that a pending statement's lock cannot be taken beside. */
export interface LockConflict {
  relation: string;
  /** The other session's mode. */
  mode: LockMode;
  granted: boolean;
  /** What the pending statement needs, and which statement. */
  needed: LockMode;
  migration: string;
  line: number;
}

/** A session that would make a run wait (or make everyone wait behind the run), from pg_stat_activity and pg_locks. */
export interface PreflightBlocker {
  pid: number;
  user: string | null;
  application: string | null;
  state: string | null;
  backendType: string | null;
  /** Age of its transaction, or of its query outside one. */
  ageMs: number | null;
  /** Its current or last query, on one line, truncated, passwords masked. */
  query: string | null;
  kinds: BlockerKind[];
  conflicts: LockConflict[];
  /** One sentence: why it blocks. */
  reason: string;
}

export type DataCheckKind = 'not-null' | 'unique' | 'foreign-key' | 'check' | 'type-cast';

/**
 * One read-only check of existing rows against what a pending statement will demand of them. `count` is the number
 * of violating rows (for `unique`: of duplicate groups, `rows` holding how many rows they contain).
 */
export interface DataCheck {
  kind: DataCheckKind;
  migration: string;
  line: number;
  /** The statement, truncated. */
  statement: string;
  table: string;
  columns: string[];
  constraint?: string | undefined;
  status: 'ok' | 'violations' | 'skipped' | 'error' | 'timeout';
  count: number | null;
  rows?: number | undefined;
  /** A few offending keys or values (truncated). */
  samples: string[];
  /** One sentence of what was found, or why the check was skipped or failed. */
  detail: string;
}

export interface PreflightOptions {
  /** A transaction older than this is a blocker (default 60 s). */
  longTransactionMs?: number | undefined;
  /** A session idle in transaction for longer than this is a blocker (default 5 s). */
  idleInTransactionMs?: number | undefined;
  /** statement_timeout of each data check (default 10 s). */
  checkTimeoutMs?: number | undefined;
  /** Skip the data checks (the run gate only needs blockers). */
  blockersOnly?: boolean | undefined;
}

export interface PreflightReport {
  environment: string;
  direction: 'up' | 'down';
  /** The migrations the checks are for, in run order. */
  migrations: string[];
  serverVersion: number;
  blockers: PreflightBlocker[];
  dataChecks: DataCheck[];
  /** No blocker and no data check with violations, error or timeout. */
  clear: boolean;
  thresholds: { longTransactionMs: number; idleInTransactionMs: number; checkTimeoutMs: number };
  /** Embedded databases have one session: nobody else can hold a lock there. */
  note?: string | undefined;
}

export const DEFAULT_LONG_TRANSACTION_MS = 60_000;
export const DEFAULT_IDLE_IN_TRANSACTION_MS = 5_000;
export const DEFAULT_CHECK_TIMEOUT_MS = 10_000;
