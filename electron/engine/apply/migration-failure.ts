import { GodwitError } from '../util/errors.ts';
import type { SqlErrorInfo } from '../db/db.ts';

/** Where and why a migration script failed. */
export interface StatementFailure {
  migration: string;
  file: 'migration.sql' | 'down.sql';
  /** 1-based index of the failing statement in the file. */
  statementIndex: number;
  /** 1-based line in the file where the error is (the statement's start when the server gave no position). */
  line: number;
  statement: string;
  error: SqlErrorInfo;
  /** True when the migration ran in a transaction, so the database was left as it was before it. */
  rolledBack: boolean;
}

export class MigrationFailedError extends GodwitError {
  readonly failure: StatementFailure;
  constructor(failure: StatementFailure) {
    const outcome = failure.rolledBack
      ? 'It was rolled back: the database is as it was before this migration.'
      : 'It ran outside a transaction: statements before this one stay applied.';
    super(
      'migration-failed',
      `${failure.migration}/${failure.file} failed at statement ${failure.statementIndex} (line ${failure.line}): ${failure.error.message}. ${outcome}`,
    );
    this.failure = failure;
  }
}

/** The line of the error inside the file, from the statement's first line and the server's character position. */
export function errorLine(statementLine: number, statement: string, position: number | undefined): number {
  if (!position) return statementLine;
  const before = statement.slice(0, Math.max(0, position - 1));
  return statementLine + (before.match(/\n/g)?.length ?? 0);
}
