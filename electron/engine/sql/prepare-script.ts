import type { Node } from '@pgsql/types';
import { PARSER_GAVE_UP, splitStatements, type SqlStatement } from './split-statements.ts';
import { destructiveOperations, nonTransactionalReason } from './analyze-statement.ts';
import { analysisCacheActive, analysisChanged, cachedAnalysis, scriptKey, storeAnalysis, type AnalysisRecord } from './analysis-cache.ts';

/** A destructive statement found by parsing. */
export interface SqlWarning {
  line: number;
  operation: string;
  statement: string;
}

/**
 * A migration script, split and analysed: what will run, how, and what to warn about. The parse happens on first
 * use of `statements`, `parseError` or `warnings`, and only when needed for `nonTransactional` (see below); in the
 * bundled CLI, what a parse of the same text told an earlier run answers all but `statements`.
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
  /**
   * The script is wrapped in its own plain `BEGIN; … COMMIT;` and has no other transaction control (Prisma writes its
   * enum-value removals so): the two statements' places, sent as spaces so the script runs inside Godwit's
   * transaction with its history row, backed up and atomic like any other. Empty otherwise.
   */
  readonly ownTransaction: { at: number; len: number }[];
}

const clipped = (line: string) => (line.length > 120 ? `${line.slice(0, 117)}...` : line);

/**
 * Where in a multi-line ALTER TABLE the operation is written: its line, not the statement's first, which may be
 * another subcommand (`ALTER COLUMN a DROP NOT NULL,` above the `ALTER COLUMN b DROP DEFAULT` the warning is about).
 */
const OPERATION_AT: Record<string, RegExp> = {
  'DROP COLUMN': /\bDROP\s+(?!NOT\b|DEFAULT\b|CONSTRAINT\b|EXPRESSION\b|IDENTITY\b)/i,
  'ALTER COLUMN TYPE': /\bTYPE\s/i,
  'SET NOT NULL': /\bSET\s+NOT\s+NULL\b/i,
};

function warningAt(s: SqlStatement, operation: string): SqlWarning {
  const lines = s.text.split('\n');
  const pattern = OPERATION_AT[operation];
  const at = Math.max(0, pattern ? lines.findIndex((l, i) => pattern.test(i === 0 ? l.replace(/^\s*ALTER\s+TABLE\b/i, '') : l)) : 0);
  return { line: s.line + at, operation, statement: clipped(lines[at]!.trim()) };
}

/**
 * Every statement PostgreSQL refuses inside a transaction block contains one of these words (VACUUM, CREATE
 * DATABASE, ALTER SYSTEM, … CONCURRENTLY, tablespaces, subscriptions, transaction control). A script containing
 * none of them cannot hold such a statement, so deciding how to run it needs no parse; any script that does contain
 * one is parsed, and the parser decides.
 */
const NON_TRANSACTIONAL_WORDS = /\b(concurrently|vacuum|database|system|tablespace|subscription|begin|start|commit|end|rollback|abort|savepoint|release|prepare|prepared)\b/i;

/** False when `sql` cannot hold a statement PostgreSQL refuses in a transaction block (no parse needed to say so). */
export const mayRunOutsideTransaction = (sql: string) => NON_TRANSACTIONAL_WORDS.test(sql);

interface Summary {
  parseError: string | null;
  nonTransactional: string[];
  warnings: SqlWarning[];
  ownTransaction: { at: number; len: number }[];
}

const OWN_TRANSACTION_REASON = nonTransactionalReason({ TransactionStmt: {} } as Node)!;

/**
 * The places of the script's own transaction control, when that is plain BEGIN … COMMIT blocks and nothing else keeps
 * the script from one transaction: a block around the whole file, or blocks inside it (Prisma writes one around an
 * enum's re-creation, mid-file: formbricks). Godwit sends them as spaces and runs the file in its own transaction, so
 * the statements PostgreSQL would have committed piece by piece around the blocks are kept with them, and backed up.
 * Blocks inside the file stay when it adds an enum value (a later statement may use the value only after a COMMIT)
 * or sets a transaction's characteristics (only its first statement may).
 */
function ownTransactionOf(statements: SqlStatement[], reasons: string[]): { at: number; len: number }[] {
  if (reasons.length !== 1 || reasons[0] !== OWN_TRANSACTION_REASON || statements.length < 3) return [];
  const tx = (st: SqlStatement) => (st.node as { TransactionStmt?: { kind?: string; options?: unknown[]; chain?: boolean } } | null)?.TransactionStmt;
  const control = statements.filter((st) => tx(st));
  let open = false;
  for (const st of control) {
    const t = tx(st)!;
    if (!open && (t.kind === 'TRANS_STMT_BEGIN' || t.kind === 'TRANS_STMT_START') && !t.options?.length) open = true;
    else if (open && t.kind === 'TRANS_STMT_COMMIT' && !t.chain) open = false;
    else return [];
  }
  if (open) return [];
  const wholeFile = control.length === 2 && control[0] === statements[0] && control[1] === statements[statements.length - 1];
  if (!wholeFile && statements.some((st) => addsEnumValue(st) || setsTransaction(st))) return [];
  return control.map((st) => ({ at: st.offset, len: st.text.length }));
}

const addsEnumValue = (st: SqlStatement) => {
  const e = (st.node as { AlterEnumStmt?: { newVal?: string; oldVal?: string } } | null)?.AlterEnumStmt;
  return !!e?.newVal && !e.oldVal;
};
/** Whether a statement is `SET TRANSACTION …` (transaction-settings.ts sends a leading one first). */
export const setsTransaction = (st: SqlStatement) => (st.node as { VariableSetStmt?: { name?: string } } | null)?.VariableSetStmt?.name === 'TRANSACTION';

class LazyScript implements PreparedScript {
  private parsed: (Summary & { statements: SqlStatement[] }) | undefined;
  /** What the parse says (from the parse, or from the bundled CLI's record of an earlier run: analysis-cache.ts). */
  private known: Summary | undefined;
  private record: AnalysisRecord | undefined;
  private readonly memos = new Map<string, unknown>();
  private hash: string | undefined;

  constructor(private readonly sql: string) {}

  /** The script's key in the record file, hashed once (a miss looks it up, then stores under it). */
  private get key(): string {
    return (this.hash ??= scriptKey(this.sql));
  }

  private parse() {
    if (this.parsed) return this.parsed;
    const { statements, parseError } = splitStatements(this.sql);
    const nonTransactional: string[] = [];
    const warnings: SqlWarning[] = [];
    for (const s of statements) {
      const reason = nonTransactionalReason(s.node);
      if (reason && !nonTransactional.includes(reason)) nonTransactional.push(reason);
      for (const operation of destructiveOperations(s.node)) warnings.push(warningAt(s, operation));
    }
    const ownTransaction = ownTransactionOf(statements, nonTransactional);
    if (ownTransaction.length) nonTransactional.length = 0;
    this.parsed = { statements, parseError, nonTransactional, warnings, ownTransaction };
    if (!this.known) {
      this.known = this.parsed;
      // A parser that gave up (out of memory) may not next time: only what the script itself decides is kept.
      if (analysisCacheActive() && !parseError?.startsWith(PARSER_GAVE_UP)) {
        this.record = { e: parseError, n: nonTransactional, w: warnings.map((w) => [w.line, w.operation, w.statement]), ...(ownTransaction.length ? { o: ownTransaction.map((r) => [r.at, r.len] as [number, number]) } : {}) };
        storeAnalysis(this.key, this.record);
      }
    }
    return this.parsed;
  }

  private summary(): Summary {
    if (this.known) return this.known;
    const r = analysisCacheActive() ? cachedAnalysis(this.key) : undefined;
    if (!r) return this.parse();
    this.record = r;
    this.known = { parseError: r.e, nonTransactional: r.n, warnings: r.w.map(([line, operation, statement]) => ({ line, operation, statement })), ownTransaction: (r.o ?? []).map(([at, len]) => ({ at, len })) };
    return this.known;
  }

  get statements() {
    return this.parse().statements;
  }
  get parseError() {
    return this.summary().parseError;
  }
  get warnings() {
    return this.summary().warnings;
  }
  get unanalysed() {
    return this.summary().parseError !== null;
  }
  get nonTransactional() {
    if (this.known) return this.known.nonTransactional;
    return NON_TRANSACTIONAL_WORDS.test(this.sql) ? this.summary().nonTransactional : [];
  }
  get ownTransaction() {
    if (this.known) return this.known.ownTransaction;
    return NON_TRANSACTIONAL_WORDS.test(this.sql) ? this.summary().ownTransaction : [];
  }

  derive<T>(name: string, accept: (v: unknown) => v is T, compute: () => T): T {
    if (this.memos.has(name)) return this.memos.get(name) as T;
    this.summary();
    const stored = this.record?.m?.[name];
    let value: T;
    if (stored !== undefined && accept(stored)) value = stored;
    else {
      value = compute();
      if (this.record) {
        (this.record.m ??= {})[name] = value;
        analysisChanged();
      }
    }
    this.memos.set(name, value);
    return value;
  }
}

/**
 * A result derived from a script's parse tree alone (`compute` must depend on nothing else), computed once per process
 * and, in the bundled CLI, kept with the script's record between runs. `name` carries its version: change it when
 * what `compute` returns changes. `accept` checks a stored value before it is used.
 */
export function derivedFromScript<T>(script: PreparedScript, name: string, accept: (v: unknown) => v is T, compute: () => T): T {
  return script instanceof LazyScript ? script.derive(name, accept, compute) : compute();
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

/** For tests: forget every analysed script, as a new process would. */
export function forgetPreparedScripts(): void {
  prepared.clear();
}
