import { splitStatements, type SqlStatement } from './split-statements.ts';
import { destructiveOperations, nonTransactionalReason } from './analyze-statement.ts';

/** A destructive statement found by parsing. */
export interface SqlWarning {
  line: number;
  operation: string;
  statement: string;
}

/** A migration script, split and analysed: what will run, how, and what to warn about. */
export interface PreparedScript {
  statements: SqlStatement[];
  parseError: string | null;
  /** Statements PostgreSQL refuses in a transaction block; non-empty means the script runs without one. */
  nonTransactional: string[];
  warnings: SqlWarning[];
}

const firstLine = (text: string) => {
  const line = text.split('\n')[0]!.trim();
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
};

export function prepareScript(sql: string): PreparedScript {
  const { statements, parseError } = splitStatements(sql);
  const nonTransactional: string[] = [];
  const warnings: SqlWarning[] = [];
  for (const s of statements) {
    const reason = nonTransactionalReason(s.node);
    if (reason && !nonTransactional.includes(reason)) nonTransactional.push(reason);
    for (const operation of destructiveOperations(s.node)) warnings.push({ line: s.line, operation, statement: firstLine(s.text) });
  }
  return { statements, parseError, nonTransactional, warnings };
}
