import type { LockMode } from '../analysis/lock-modes.ts';

export interface ObservedLock {
  relation: string;
  mode: LockMode;
}

/** One statement as it ran on the clone, beside its prediction (engine/analysis). */
export interface RehearsedStatement {
  line: number;
  text: string;
  status: 'ok' | 'failed' | 'not-run';
  durationMs: number | null;
  error?: { message: string; code?: string | undefined; detail?: string | undefined } | undefined;
  /** Locks from pg_locks of the migrating backend (strongest per relation), tables that got a new relfilenode. */
  observed: { locks: ObservedLock[]; rewritten: string[]; sampled: boolean } | null;
  predicted: { locks: ObservedLock[]; rewrite: boolean; scan: boolean };
  matches: { locks: boolean; rewrite: boolean } | null;
}

export interface RehearsedMigration {
  name: string;
  transactional: boolean;
  status: 'ok' | 'failed' | 'not-run';
  durationMs: number | null;
  statements: RehearsedStatement[];
}

export interface RehearsalReport {
  environment: string;
  clone: { database: string; schemaSource: 'pg_dump' | 'migrations'; sampleRows: number; rowsCopied: number; dropped: boolean; note?: string | undefined } | null;
  serverVersion: number;
  migrations: RehearsedMigration[];
  /** Every pending migration ran on the clone without error. */
  ok: boolean;
  durationMs: number;
}
