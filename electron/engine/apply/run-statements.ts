import { randomUUID } from 'node:crypto';
import type { Db } from '../db/db.ts';
import { sqlLiteral } from '../history/history-table.ts';
import type { LocalMigration } from '../migrations/read-folder.ts';
import type { PreparedScript } from '../sql/prepare-script.ts';
import type { SqlStatement } from '../sql/split-statements.ts';
import { MigrationFailedError, type StatementFailure } from './migration-failure.ts';
import { statementFailure, type File, type TxOptions } from './run-migration.ts';

type Control = 'begin' | 'commit' | 'rollback' | 'commit-chain' | 'rollback-chain' | null;

/** What a statement does to the transaction state: from the parse tree, or its first words when unparsed. */
function control(stmt: SqlStatement): Control {
  const tx = (stmt.node as { TransactionStmt?: { kind?: string; chain?: boolean } } | null)?.TransactionStmt;
  let kind = tx?.kind;
  if (!stmt.node) {
    const w = /^\s*(begin|start\s+transaction|commit|end|rollback|abort)\b(?!\s+(to|prepared)\b)/i.exec(stmt.text)?.[1]?.toLowerCase();
    kind = w === 'begin' || w?.startsWith('start') ? 'TRANS_STMT_BEGIN' : w === 'commit' || w === 'end' ? 'TRANS_STMT_COMMIT' : w ? 'TRANS_STMT_ROLLBACK' : undefined;
  }
  const chain = tx?.chain === true || /\band\s+chain\b/i.test(stmt.node ? '' : stmt.text);
  switch (kind) {
    case 'TRANS_STMT_BEGIN':
    case 'TRANS_STMT_START':
      return 'begin';
    case 'TRANS_STMT_COMMIT':
      return chain ? 'commit-chain' : 'commit';
    case 'TRANS_STMT_ROLLBACK':
      return chain ? 'rollback-chain' : 'rollback';
    default:
      return null;
  }
}

/** Where a statement-by-statement run stopped, and which statements' effects are in the database. */
interface StatementsOutcome {
  failedAt: number;
  error: unknown;
  /** 0-based indexes of statements whose effects stay (committed or autocommitted), transaction control aside. */
  applied: number[];
  /** 0-based indexes of statements undone with the script's own transaction. */
  undone: number[];
  /** The failing statement builds an index CONCURRENTLY: PostgreSQL may leave an INVALID index behind. */
  leftover: boolean;
}

const CONCURRENT_INDEX = /^\s*(create\s+(unique\s+)?index|reindex|drop\s+index)\b[^;]*\bconcurrently\b/i;

/**
 * A CONCURRENTLY index build or drop that fails after it began leaves the index INVALID; one refused up front
 * (SQLSTATE class 42: syntax, no such object, already exists) changed nothing.
 */
const mayLeaveInvalidIndex = (stmt: SqlStatement, error: unknown) =>
  CONCURRENT_INDEX.test(stmt.text) && !String((error as { code?: unknown }).code ?? '').startsWith('42');

/**
 * Runs the statements one by one (autocommit), following the script's own BEGIN/COMMIT/ROLLBACK so that, when one
 * fails, Godwit knows which effects stay. An aborted transaction the script opened is rolled back at once, so the
 * session stays usable (on PGlite it is the only session, and would otherwise refuse every later call).
 */
async function runStatements(db: Db, script: PreparedScript): Promise<StatementsOutcome | null> {
  const applied: number[] = [];
  const undone: number[] = [];
  let inTx: number[] | null = null;
  let begunAt = -1;
  for (const [i, stmt] of script.statements.entries()) {
    const kind = control(stmt);
    try {
      await db.exec(stmt.text);
    } catch (error) {
      // The server's word on whether a transaction block is still open (and aborted).
      const aborted = await db.query('SELECT 1').then(() => false, (e: { code?: string }) => e.code === '25P02');
      if (aborted) await db.exec('ROLLBACK').catch(() => undefined);
      if (inTx || aborted) undone.push(...(inTx ?? []));
      return { failedAt: i, error, applied, undone, leftover: mayLeaveInvalidIndex(stmt, error) };
    }
    if (kind === 'begin') {
      if (!inTx) begunAt = i;
      inTx ??= [];
    }
    else if (kind === 'commit' || kind === 'commit-chain') {
      applied.push(...(inTx ?? []));
      inTx = kind === 'commit-chain' ? [] : null;
    } else if (kind === 'rollback' || kind === 'rollback-chain') {
      undone.push(...(inTx ?? []));
      inTx = kind === 'rollback-chain' ? [] : null;
    } else if (inTx) inTx.push(i);
    else applied.push(i);
  }
  if (inTx) {
    // psql would roll this back when the session ends; do it now, and say so, rather than leave the session in it.
    await db.exec('ROLLBACK').catch(() => undefined);
    const error = { message: 'this BEGIN has no COMMIT: the transaction was still open at the end of the script, and was rolled back' };
    return { failedAt: begunAt, error, applied, undone: [...undone, ...inTx], leftover: false };
  }
  return null;
}

/** "statement 3", "statements 1–4", "statements 1, 3 and 5" (1-based). */
export function statementList(indexes: number[]): string {
  const n = indexes.map((i) => i + 1);
  if (n.length === 1) return `statement ${n[0]}`;
  if (n.every((v, k) => k === 0 || v === n[k - 1]! + 1)) return `statements ${n[0]}–${n[n.length - 1]}`;
  return `statements ${n.slice(0, -1).join(', ')} and ${n[n.length - 1]}`;
}

/** The one sentence of what the database now holds, for the message, the progress output and the history's logs. */
function outcomeSentence(name: string, file: File, o: StatementsOutcome): { sentence: string; nothingApplied: boolean } {
  const undone = [
    o.undone.length ? `${statementList(o.undone)} ran in the script's own transaction and ${o.undone.length === 1 ? 'was' : 'were'} rolled back` : '',
    o.leftover ? `the failed ${statementList([o.failedAt])} may have left an INVALID index behind (see \\di; drop it before retrying)` : '',
  ].filter(Boolean).join('; ');
  if (o.applied.length === 0 && !o.leftover) {
    const what = file === 'migration.sql' ? 'it is pending again (its history row is marked rolled back, the error in its logs)' : 'the migration is still applied';
    return { sentence: `Nothing of ${file} is applied${undone ? ` (${undone})` : ''}: ${what}.`, nothingApplied: true };
  }
  const stays = o.applied.length ? `${statementList(o.applied)} ran outside a transaction and ${o.applied.length === 1 ? 'stays' : 'stay'} applied${undone ? `; ${undone}` : ''}` : undone;
  const sentence =
    file === 'migration.sql'
      ? `${stays[0]!.toUpperCase()}${stays.slice(1)}: the migration is half applied and marked failed in the history (the error in its logs). Finish or undo it by hand, then run godwit resolve --applied ${name} or --rolled-back ${name}.`
      : `${stays[0]!.toUpperCase()}${stays.slice(1)} (of down.sql): the migration is half rolled back and marked failed in the history (the error in its logs). Finish or undo the rollback by hand, then run godwit resolve --rolled-back ${name} (finished) or --applied ${name} (undone).`;
  return { sentence, nothingApplied: false };
}

function failureOf(name: string, file: File, script: PreparedScript, o: StatementsOutcome): StatementFailure & { outcome: string } {
  const { sentence, nothingApplied } = outcomeSentence(name, file, o);
  return { ...statementFailure(name, file, script, o.failedAt, o.error, nothingApplied), outcome: sentence };
}

const logsOf = (f: StatementFailure & { outcome: string }) =>
  `${f.file} failed at statement ${f.statementIndex} (line ${f.line}): ${f.error.message}${f.error.code ? ` (SQLSTATE ${f.error.code})` : ''}\n${f.outcome}`;

/**
 * Applies a migration PostgreSQL refuses to run in one transaction (CREATE INDEX CONCURRENTLY, its own BEGIN/COMMIT,
 * …) as Prisma does: its row is written first, then the statements run one by one. On failure the row says what is
 * true: rolled back (pending again) when nothing of it stays, failed otherwise; the error goes to its logs.
 */
export async function applyOutsideTransaction(db: Db, migration: LocalMigration, script: PreparedScript, opts: TxOptions): Promise<void> {
  const id = sqlLiteral(randomUUID());
  const t = opts.historyTable;
  await db.exec(`INSERT INTO ${t} ("id", "checksum", "migration_name", "started_at") VALUES (${id}, ${sqlLiteral(migration.checksum)}, ${sqlLiteral(migration.name)}, clock_timestamp())`);
  const outcome = await runStatements(db, script);
  // Whatever the script set for its session (search_path, role, …) is undone before the history is written.
  await db.exec(opts.restoreSql);
  if (outcome) {
    const f = failureOf(migration.name, 'migration.sql', script, outcome);
    await db.exec(`UPDATE ${t} SET "logs" = ${sqlLiteral(logsOf(f))}${f.rolledBack ? ', "rolled_back_at" = clock_timestamp()' : ''} WHERE "id" = ${id}`);
    throw new MigrationFailedError(f);
  }
  await db.exec(`UPDATE ${t} SET "finished_at" = clock_timestamp(), "applied_steps_count" = 1 WHERE "id" = ${id}`);
}

/**
 * Runs a down.sql outside a transaction. When it fails after some of its statements took effect, the migration is
 * neither applied nor rolled back: its row becomes failed (finished_at cleared, the error and the former
 * finished_at in its logs), as the message says, so nothing runs on top of a half-reverted schema.
 */
export async function revertOutsideTransaction(db: Db, name: string, script: PreparedScript, opts: TxOptions): Promise<void> {
  const t = opts.historyTable;
  const outcome = await runStatements(db, script);
  await db.exec(opts.restoreSql);
  if (outcome) {
    const f = failureOf(name, 'down.sql', script, outcome);
    if (!f.rolledBack) {
      await db.exec(`UPDATE ${t} SET "logs" = concat_ws(E'\\n', ${sqlLiteral(logsOf(f))}, 'It had been applied at ' || "finished_at"::text || '.'), "finished_at" = NULL
        WHERE "migration_name" = ${sqlLiteral(name)} AND "rolled_back_at" IS NULL AND "finished_at" IS NOT NULL`);
    }
    throw new MigrationFailedError(f);
  }
  await db.exec(`DELETE FROM ${t} WHERE "migration_name" = ${sqlLiteral(name)}`);
}
