import { GodwitError } from '../util/errors.ts';
import type { SqlErrorInfo } from '../db/db.ts';
import type { Blocker } from '../lock/blockers.ts';

/** Where and why a migration script failed. */
export interface StatementFailure {
  migration: string;
  file: 'migration.sql' | 'down.sql';
  /** 1-based index of the failing statement in the file; 0 when it was not a statement of the file (see `phase`). */
  statementIndex: number;
  /** 1-based line in the file where the error is (the statement's start when the server gave no position). */
  line: number;
  statement: string;
  error: SqlErrorInfo;
  /** True when the database is as it was before the migration (rolled back, or nothing of it ran). */
  rolledBack: boolean;
  /**
   * Which part failed: a statement of the file; the history bookkeeping around it; COMMIT (deferred constraints);
   * or unknown (the server cancelled the whole script: lock timeout, statement timeout, interrupt).
   */
  phase?: 'script' | 'history' | 'commit' | 'unknown' | 'backup' | 'restore' | undefined;
  /** One sentence saying what the database and its history now hold; the same text goes to the history's logs. */
  outcome?: string | undefined;
  /** Sessions that held the lock the migration waited for, when one was seen. */
  blockers?: Blocker[] | undefined;
}

/** The sentence a failure ends with: what is now true of the database. */
export function outcomeOf(failure: StatementFailure): string {
  if (failure.outcome) return failure.outcome;
  // A failed down.sql rolled back is a rollback undone: the migration is still applied, not "rolled back".
  if (failure.file === 'down.sql') {
    return failure.rolledBack
      ? 'Its down.sql was undone: the migration is still applied, as it was before its rollback began.'
      : 'Its down.sql ran outside a transaction: statements of it before this one stay applied.';
  }
  return failure.rolledBack
    ? 'It was rolled back: the database is as it was before this migration.'
    : 'It ran outside a transaction: statements before this one stay applied.';
}

/** "at statement 3 (line 7)", "while recording it in _prisma_migrations", … */
export function failurePlace(f: StatementFailure): string {
  switch (f.phase ?? (f.statementIndex > 0 ? 'script' : f.statement === 'COMMIT' ? 'commit' : 'unknown')) {
    case 'script':
      return `at statement ${f.statementIndex} (line ${f.line})`;
    case 'history':
      return 'while recording it in _prisma_migrations';
    case 'commit':
      return 'at COMMIT';
    case 'backup':
      return `while backing up what statement ${f.statementIndex} (line ${f.line}) destroys`;
    case 'restore':
      return 'while restoring its backed-up data after down.sql';
    default:
      return f.error.code === '55P03' ? 'waiting for a lock' : f.error.code === '57014' ? 'while running (cancelled)' : 'while running';
  }
}

export class MigrationFailedError extends GodwitError {
  readonly failure: StatementFailure;
  constructor(failure: StatementFailure) {
    // Restoring is Godwit's work after the file ran: not the file failing.
    const what = failure.phase === 'restore' ? `${failure.migration}: rolling it back failed` : `${failure.migration}/${failure.file} failed`;
    super('migration-failed', `${what} ${failurePlace(failure)}: ${failure.error.message.replace(/\.$/, '')}. ${outcomeOf(failure)}`);
    this.failure = failure;
  }
}

/** The line of the error inside the file, from the statement's first line and the server's character position. */
export function errorLine(statementLine: number, statement: string, position: number | undefined): number {
  if (!position) return statementLine;
  const before = statement.slice(0, Math.max(0, position - 1));
  return statementLine + (before.match(/\n/g)?.length ?? 0);
}
