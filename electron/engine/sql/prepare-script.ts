import { splitStatements, type SqlStatement } from './split-statements.ts';
import { destructiveOperations, nonTransactionalReason } from './analyze-statement.ts';

/** A destructive statement found by parsing. */
export interface SqlWarning {
  line: number;
  operation: string;
  statement: string;
}

/**
 * A migration script, split and analysed: what will run, how, and what to warn about. The parse happens on first
 * use of `statements`, `parseError` or `warnings`, and only when needed for `nonTransactional` (see below).
 */
export interface PreparedScript {
  readonly statements: SqlStatement[];
  /** Why the parser refused the script, in one line; null when it parsed. */
  readonly parseError: string | null;
  /**
   * The parser refused the script, so nothing below is known: no destructive-statement warnings, no transaction
   * check. Front ends say so, and a run of it needs the environment's name typed (apply/run-plan.ts).
   */
  readonly unanalysed: boolean;
  /** Statements PostgreSQL refuses in a transaction block; non-empty means the script runs without one. */
  readonly nonTransactional: string[];
  readonly warnings: SqlWarning[];
}

const firstLine = (text: string) => {
  const nl = text.indexOf('\n');
  const line = (nl === -1 ? text : text.slice(0, nl)).trim();
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
};

/**
 * Every statement PostgreSQL refuses inside a transaction block contains one of these words (VACUUM, CREATE
 * DATABASE, ALTER SYSTEM, … CONCURRENTLY, tablespaces, subscriptions, transaction control). A script containing
 * none of them cannot hold such a statement, so deciding how to run it needs no parse; any script that does contain
 * one is parsed, and the parser decides.
 */
const NON_TRANSACTIONAL_WORDS = /\b(concurrently|vacuum|database|system|tablespace|subscription|begin|start|commit|end|rollback|abort|savepoint|release|prepare|prepared)\b/i;

class LazyScript implements PreparedScript {
  private parsed: { statements: SqlStatement[]; parseError: string | null; nonTransactional: string[]; warnings: SqlWarning[] } | undefined;
  private quickNonTransactional: string[] | undefined;

  constructor(private readonly sql: string) {}

  private parse() {
    if (this.parsed) return this.parsed;
    const { statements, parseError } = splitStatements(this.sql);
    const nonTransactional: string[] = [];
    const warnings: SqlWarning[] = [];
    for (const s of statements) {
      const reason = nonTransactionalReason(s.node);
      if (reason && !nonTransactional.includes(reason)) nonTransactional.push(reason);
      for (const operation of destructiveOperations(s.node)) warnings.push({ line: s.line, operation, statement: firstLine(s.text) });
    }
    this.parsed = { statements, parseError, nonTransactional, warnings };
    return this.parsed;
  }

  get statements() {
    return this.parse().statements;
  }
  get parseError() {
    return this.parse().parseError;
  }
  get warnings() {
    return this.parse().warnings;
  }
  get unanalysed() {
    return this.parse().parseError !== null;
  }
  get nonTransactional() {
    if (this.parsed) return this.parsed.nonTransactional;
    this.quickNonTransactional ??= NON_TRANSACTIONAL_WORDS.test(this.sql) ? this.parse().nonTransactional : [];
    return this.quickNonTransactional;
  }
}

const prepared = new Map<string, PreparedScript>();

/** Analysed once per distinct script text: planning and running the same migration share the work. */
export function prepareScript(sql: string): PreparedScript {
  const cached = prepared.get(sql);
  if (cached) return cached;
  const result = new LazyScript(sql);
  if (prepared.size > 20_000) prepared.clear();
  prepared.set(sql, result);
  return result;
}
